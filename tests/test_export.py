"""`finsam export`: the files and manifest of a full export, nothing-to-do, --tvinga, all-or-nothing
failures, safe names, configuration and quiet logging for a scheduled job."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from finsam_cli import __version__
from finsam_cli.disclosure import published as published_module
from finsam_cli.errors import DataError
from finsam_cli.publish import plan
from finsam_cli.publish import run as runmod
from finsam_cli.publish.plan import SAFE_NAME, Job
from finsam_cli.publish.run import parse_formats

from .conftest import ROOT, SAMPLE

INSATSER = ["ungdomsteamet-i-haninge", "ung-i-tyreso", "ung-i-nynas", "resursradet", "en-vag-in", "mia", "samrehab"]
STEMS_2017 = ([f"maluppfyllelse_2017_{s}" for s in INSATSER]
              + ["maluppfyllelse-sammanstallning_2017", "malgrupp_2017", "budget-avvikelse_2017",
                 "budget-jamforelse_2017", "enkat_2017", "uppfoljning_2017", "bokslut_2017", "arsredovisning_2017"])
FILES_2017 = sorted(f"{stem}.{ext}" for stem in STEMS_2017 for ext in ("md", "xlsx"))
STAMP = "2025-11-25T00:00:00Z"  # conftest fixes SOURCE_DATE_EPOCH
LINE = re.compile(r"^2025-11-25T00:00:00Z \S")
SUMMARY = re.compile(r"^2025-11-25T00:00:00Z export 2017: (\d+) files written, (\d+) unchanged(, \d+ removed)?, "
                     r"\d+\.\d s$")
OLD = 1_000_000_000  # an mtime far in the past, so that any rewrite shows


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the checkout's config and sample data that a test may change."""
    folder = tmp_path / "project"
    shutil.copytree(SAMPLE, folder / "sample_data", ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(ROOT / "finsam.toml", folder / "finsam.toml")
    return folder


def export(run, project: Path, *args: str | Path):
    return run("export", *args, "--config", project / "finsam.toml", "--till", project.parent / "ut")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `folder` (hidden ones too): bytes, mtime and inode (os.replace changes the inode)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = (path.read_bytes(), st.st_mtime_ns, st.st_ino)
    return out


def age(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))


def test_full_export_of_the_sample_data(run, project: Path) -> None:
    result = export(run, project, "2017")
    assert result.exit_code == 0, result.stderr
    folder = project.parent / "ut" / "2017"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES_2017, "manifest.json"])
    assert sorted(p.name for p in folder.parent.iterdir()) == ["2017"]  # the lock is gone

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["finsam"] == __version__
    assert (manifest["year"], manifest["halvar"]) == (2017, False)
    assert manifest["parameters"]["formats"] == ["md", "xlsx"]
    assert (manifest["started"], manifest["finished"]) == (STAMP, STAMP)
    assert sorted(f["name"] for f in manifest["files"]) == FILES_2017
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    tyreso = next(f for f in manifest["files"] if f["name"] == "maluppfyllelse_2017_ung-i-tyreso.xlsx")
    assert (tyreso["report"], tyreso["format"], tyreso["subject"]) == ("maluppfyllelse", "xlsx", "Ung i Tyresö")
    inputs = {i["role"]: i for i in manifest["inputs"]}
    assert set(inputs) == {"deltagare", "anonyma", "budget", "utfall", "finansiering", "forklaringar",
                           "befolkning", "enkat", "sie", "config"}
    for role, entry in inputs.items():
        path = project / "finsam.toml" if role == "config" else project / "sample_data" / entry["name"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["size"] == path.stat().st_size
    assert str(project) not in json.dumps(manifest)  # names only: local paths stay off the share
    assert manifest["skipped"] == [{"report": "medlemsavgifter",
                                    "reason": "no total fee for 2017 or 2018 in [medlemsavgifter.total]"}]

    assert (folder / "budget-avvikelse_2017.md").read_text(encoding="utf-8").count("Resursrådet") >= 1
    assert (folder / "maluppfyllelse_2017_ung-i-tyreso.xlsx").read_bytes()[:2] == b"PK"


def test_log_without_a_terminal_is_quiet_one_line_per_file(run, project: Path) -> None:
    result = export(run, project, "2017")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "\x1b" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0] == f"{STAMP} skipped medlemsavgifter: no total fee for 2017 or 2018 in [medlemsavgifter.total]"
    wrote = [line for line in lines if " wrote " in line]
    assert len(wrote) == len(FILES_2017) == len(lines) - 2
    assert re.fullmatch(rf"{STAMP} wrote 2017/maluppfyllelse_2017_ung-i-tyreso\.xlsx \(\d{{1,3}}( \d{{3}})* bytes\)",
                        next(line for line in wrote if "ung-i-tyreso.xlsx" in line))
    summary = SUMMARY.match(lines[-1])
    assert summary is not None and summary.groups()[:2] == (str(len(FILES_2017)), "0")


def test_second_run_rewrites_nothing_and_tvinga_rewrites(run, project: Path) -> None:
    assert export(run, project, "2017").exit_code == 0
    out = project.parent / "ut"
    age(out)
    before = snapshot(out)

    again = export(run, project, "2017")
    assert again.exit_code == 0
    assert snapshot(out) == before  # same bytes, same mtimes, same inodes: not even the manifest was touched
    lines = again.stderr.splitlines()
    assert lines[0].startswith(f"{STAMP} nothing to do: the inputs, the configuration and finsam {__version__} "
                               "are unchanged")
    assert SUMMARY.match(lines[-1]).groups()[:2] == ("0", str(len(FILES_2017)))  # type: ignore[union-attr]
    assert len(lines) == 2

    forced = export(run, project, "2017", "--tvinga")
    assert forced.exit_code == 0
    after = snapshot(out)
    assert sorted(after) == sorted(before)
    for name in [*FILES_2017, "manifest.json"]:
        assert after[f"2017/{name}"][1] != OLD * 10**9, name
    for name in FILES_2017:  # the manifest is removed first and written anew: its inode may be reused
        assert after[f"2017/{name}"][2] != before[f"2017/{name}"][2], name
    assert SUMMARY.match(forced.stderr.splitlines()[-1]).groups()[:2] == (  # type: ignore[union-attr]
        str(len(FILES_2017)), "0")


def test_changed_input_exports_again(run, project: Path) -> None:
    assert export(run, project, "2017", "--format", "md").exit_code == 0
    with (project / "sample_data" / "forklaringar.csv").open("a", encoding="utf-8") as handle:
        handle.write("2017;Kansli;Ny förklaring.\n")
    result = export(run, project, "2017", "--format", "md")
    assert result.exit_code == 0
    assert "nothing to do" not in result.stderr
    assert "wrote 2017/budget-avvikelse_2017.md" in result.stderr


def test_a_deleted_report_is_restored_even_when_inputs_are_unchanged(run, project: Path) -> None:
    assert export(run, project, "2017", "--format", "md").exit_code == 0
    folder = project.parent / "ut" / "2017"
    (folder / "maluppfyllelse_2017_mia.md").unlink()
    result = export(run, project, "2017", "--format", "md")
    assert result.exit_code == 0
    assert "maluppfyllelse_2017_mia.md is missing: exporting again" in result.stderr
    assert (folder / "maluppfyllelse_2017_mia.md").is_file()


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, command: str, n: int, error: BaseException) -> list[int]:
    """Make the export's n-th build of report `command` raise `error`."""
    real = plan.build_report
    calls: list[int] = []

    def failing(kind, *args, **kwargs):
        if kind.command == command:
            calls.append(1)
            if len(calls) == n:
                raise error
        return real(kind, *args, **kwargs)

    monkeypatch.setattr(plan, "build_report", failing)
    return calls


@pytest.mark.parametrize(("error", "reason"), [
    (DataError("Ung i Nynäs: injected failure"), "error: Ung i Nynäs: injected failure"),
    (RuntimeError("secret 19900101-1234"), "error: internal error (RuntimeError); this is a bug in finsam."),
])
def test_a_failing_third_report_leaves_the_previous_set_untouched(run, project: Path, monkeypatch, error,
                                                                  reason: str) -> None:
    assert export(run, project, "2017").exit_code == 0
    out = project.parent / "ut"
    age(out)
    before = snapshot(out)

    _fail_on_call(monkeypatch, "maluppfyllelse", 3, error)
    result = export(run, project, "2017", "--tvinga")
    assert result.exit_code == 1
    assert snapshot(out) == before  # listing, bytes, mtimes, inodes; no temporary files, no lock
    assert not list(out.rglob(".finsam-tmp-*"))
    lines = result.stderr.splitlines()
    assert f"{STAMP} error: could not make 2017/maluppfyllelse_2017_ung-i-nynas" in lines
    assert any(line.startswith(f"{STAMP} {reason}") for line in lines)
    assert re.match(rf"^{STAMP} error: export 2017 failed after \d+\.\d s: nothing was replaced$", lines[-1])
    assert "19900101" not in result.output  # an unexpected exception's text never reaches the log
    assert "wrote" not in result.stderr


def test_a_failure_with_changed_inputs_keeps_the_old_set_and_the_next_run_completes(run, project, monkeypatch):
    assert export(run, project, "2017", "--format", "md").exit_code == 0
    out = project.parent / "ut"
    before = snapshot(out)
    with (project / "sample_data" / "forklaringar.csv").open("a", encoding="utf-8") as handle:
        handle.write("2017;Kansli;Ny förklaring.\n")
    _fail_on_call(monkeypatch, "budget-avvikelse", 1, DataError("boom"))
    assert export(run, project, "2017", "--format", "md").exit_code == 1
    assert snapshot(out) == before
    monkeypatch.undo()
    result = export(run, project, "2017", "--format", "md")
    assert result.exit_code == 0
    assert "nothing to do" not in result.stderr


def test_a_full_disk_while_staging_removes_the_temporary_files(run, project: Path, monkeypatch) -> None:
    assert export(run, project, "2017", "--format", "md").exit_code == 0
    out = project.parent / "ut"
    age(out)
    before = snapshot(out)
    staged = runmod.stage
    calls: list[int] = []

    def stage(folder: Path, data: bytes) -> Path:
        calls.append(1)
        if len(calls) == 3:
            (folder / ".finsam-tmp-half").write_bytes(data[:10])  # as a real write would leave it …
            (folder / ".finsam-tmp-half").unlink()  # … and as stage() cleans it up
            raise OSError(28, "No space left on device")
        return staged(folder, data)

    monkeypatch.setattr(runmod, "stage", stage)
    result = export(run, project, "2017", "--format", "md", "--tvinga")
    assert result.exit_code == 1
    assert snapshot(out) == before
    assert not list(out.rglob(".finsam-tmp-*"))
    assert "nothing was replaced" in result.stderr


def test_a_failure_while_renaming_is_reported_and_repaired_by_the_next_run(run, project, monkeypatch) -> None:
    assert export(run, project, "2017", "--format", "md").exit_code == 0
    real_replace = os.replace
    calls: list[int] = []

    def replace(src, dst):
        if str(src).rsplit("/", 1)[-1].startswith(".finsam-tmp-") and str(dst).endswith(".md"):
            calls.append(1)
            if len(calls) == 3:
                raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(runmod.os, "replace", replace)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")  # a day later: the new files differ from the old
    result = export(run, project, "2017", "--format", "md", "--tvinga")
    assert result.exit_code == 1
    assert "error: cannot write: Input/output error" in result.stderr
    assert (f"2 of {len(STEMS_2017)} files were replaced before the failure; the set has no manifest now"
            in result.stderr)
    assert not list((project.parent / "ut").rglob(".finsam-tmp-*"))
    assert not (project.parent / "ut" / "2017" / "manifest.json").exists()  # removed before the first rename
    monkeypatch.undo()

    repaired = export(run, project, "2017", "--format", "md")  # same inputs, but the set has no manifest
    assert repaired.exit_code == 0
    assert "has reports but no manifest.json: the previous export did not finish" in repaired.stderr


def test_hostile_insats_names_stay_inside_the_target(run, tmp_path: Path) -> None:
    data = tmp_path / "hostile"
    data.mkdir()
    names = ["../../etc", "Ung | Tyresö", "..", "/abs/path", "a\\b:c*d?", "CON", "Halvår"]
    rows = ["Deltagar-ID;Insats;Kommun;Kön;Födelseår;Inskrivningsdatum;Avslutsdatum;Avslutsorsak;Remittent;"
            "Utbildningsnivå"]
    for i, name in enumerate(names):
        quoted = '"' + name.replace('"', '""') + '"'
        rows += [f"P{i}a;{quoted};Tyresö;Kvinna;1998;2017-02-01;2017-09-01;Arbete;AF Tyresö;Gymnasial",
                 f"P{i}b;{quoted};Haninge;Man;1999;2017-03-01;;;Egen anmälan;Förgymnasial"]
    (data / "deltagare.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (data / "finsam.toml").write_text('[data]\ndeltagare = "deltagare.csv"\n', encoding="utf-8")
    target = tmp_path / "share" / "finsam"
    target.parent.mkdir()

    result = run("export", "--config", data / "finsam.toml", "--till", target)
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in (target / "2017").iterdir())
    assert all(SAFE_NAME.match(n) for n in written if n != "manifest.json"), written
    stems = {n.rsplit(".", 1)[0] for n in written}
    assert {"maluppfyllelse_2017_etc", "maluppfyllelse_2017_ung-tyreso", "maluppfyllelse_2017_namnlos",
            "maluppfyllelse_2017_abs-path", "maluppfyllelse_2017_a-b-c-d", "maluppfyllelse_2017_con",
            "maluppfyllelse_2017_halvar", "maluppfyllelse-sammanstallning_2017"} <= stems
    every = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    assert {p for p in every if not p.startswith(("hostile", "share/finsam/2017/", "config-home"))} == {
        "share", "share/finsam", "share/finsam/2017"}
    manifest = json.loads((target / "2017" / "manifest.json").read_text(encoding="utf-8"))
    assert "Ung | Tyresö" in {f["subject"] for f in manifest["files"]}
    assert manifest["skipped"][0] == {"report": "budget-avvikelse", "reason": "no budget data (data.budget)"}


def test_unsafe_file_names_are_refused_even_if_a_slug_were_bad() -> None:
    job = Job("maluppfyllelse", 2017, build=lambda: None, slug="../etc")  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="unsafe export file name"):
        job.filename("md")


def test_target_and_formats_from_the_config(run, project: Path) -> None:
    toml = project / "finsam.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('format = ["md", "xlsx"]', 'format = ["md"]'),
                    encoding="utf-8")
    result = run("export", "2017", "--config", toml)
    assert result.exit_code == 0, result.stderr
    folder = project / "out" / "export" / "2017"  # katalog = "out/export", relative to the config file
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [n for n in FILES_2017 if n.endswith(".md")] + ["manifest.json"])


def test_dropped_format_removes_the_files_of_the_previous_set(run, project: Path) -> None:
    assert export(run, project, "2017").exit_code == 0
    result = export(run, project, "2017", "--format", "md")
    assert result.exit_code == 0
    folder = project.parent / "ut" / "2017"
    assert not list(folder.glob("*.xlsx"))
    assert f"{STAMP} removed 2017/budget-avvikelse_2017.xlsx (no longer exported)" in result.stderr.splitlines()
    assert f", {len(STEMS_2017)} removed, " in result.stderr.splitlines()[-1]


def test_default_year_is_the_latest_the_participant_data_covers_in_full_and_the_log_says_why(
        run, project: Path) -> None:
    full = export(run, project, "--format", "md")
    assert full.exit_code == 0, full.stderr
    # The sample's participant data ends on 2018-10-31: 2018 would be a partial year.
    assert full.stderr.splitlines()[0] == (f"{STAMP} no year given: reporting 2017, the latest year the participant "
                                           "data covers in full (it covers 2011-01-01 to 2018-10-31)")
    out = project.parent / "ut"
    assert sorted(p.name for p in out.iterdir()) == ["2017"]
    assert "ofullständig" not in (out / "2017" / "maluppfyllelse-sammanstallning_2017.md").read_text(encoding="utf-8")
    half = export(run, project, "--format", "md", "--halvar")
    assert half.exit_code == 0, half.stderr
    assert half.stderr.splitlines()[0] == (f"{STAMP} no year given: reporting 2018, the latest first half the "
                                           "participant data covers in full (it covers 2011-01-01 to 2018-10-31)")
    names = sorted(p.name for p in (out / "2018").iterdir())
    assert "maluppfyllelse_2018_ung-i-tyreso_halvar.md" in names
    assert "budget-avvikelse_2018_halvar.md" in names
    assert "arsredovisning_2018_halvar.md" in names
    assert "budget-jamforelse_2018_halvar.md" not in names
    assert names[-1] == "manifest_halvar.json" and "manifest.json" not in names
    half_manifest = json.loads((out / "2018" / "manifest_halvar.json").read_text(encoding="utf-8"))
    assert all(f["name"].endswith("_halvar.md") for f in half_manifest["files"])
    assert re.search(r"export 2018 halvår: 10 files written", half.stderr)
    assert "nothing to do" in export(run, project, "--format", "md").stderr  # the half-year set did not disturb it


@pytest.mark.parametrize(("data", "said"), [
    ('budget = "sample_data/budget.csv"\nutfall = "sample_data/utfall.csv"\n',
     "no year given: reporting 2017, the latest year the outcome file covers in full"),  # it ends 2018-10-28
    ('budget = "sample_data/budget.csv"\nutfall = "sample_data/bokforing.se"\n',
     "no year given: reporting 2017, the latest year the outcome file covers in full"),
    ('budget = "sample_data/budget.csv"\n', "no year given: reporting 2018, the latest year the budget file holds"),
])
def test_without_participant_data_the_default_year_is_the_outcomes_else_the_budgets(
        run, project: Path, data: str, said: str) -> None:
    toml = project / "finsam.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[:text.index("[data]")] + "[data]\n" + data + text[text.index("\n[[insatser]]"):],
                    encoding="utf-8")
    result = export(run, project, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"{STAMP} {said}"
    year = said.split()[4].rstrip(",")
    assert sorted(p.name for p in (project.parent / "ut").iterdir()) == [year]


def test_a_next_year_fee_split_is_exported_with_the_year_before(run, project: Path) -> None:
    result = export(run, project, "2018", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert (project.parent / "ut" / "2018" / "medlemsavgifter_2019.md").is_file()  # decided in 2018


def test_missing_optional_data_is_skipped_and_broken_data_fails(run, project: Path) -> None:
    toml = project / "finsam.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('budget = "sample_data/budget.csv"\n', ""), encoding="utf-8")
    result = export(run, project, "2017", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert f"{STAMP} skipped budget-avvikelse: no budget data (data.budget)" in result.stderr.splitlines()
    assert f"{STAMP} skipped budget-jamforelse: no budget data (data.budget)" in result.stderr.splitlines()

    out = project.parent / "ut"
    before = snapshot(out)
    toml.write_text(text, encoding="utf-8")
    (project / "sample_data" / "budget.csv").write_text("År;Post;Grupp;Belopp\n2017;Kansli;Styrelse och kansli;"
                                                        "många\n", encoding="utf-8")
    broken = export(run, project, "2017", "--format", "md")
    assert broken.exit_code == 1
    assert "budget.csv" in broken.stderr and "nothing was replaced" in broken.stderr
    assert snapshot(out) == before


def test_a_configured_file_that_is_missing_fails(run, project: Path) -> None:
    (project / "sample_data" / "finansiering.csv").unlink()
    result = export(run, project, "2017")
    assert result.exit_code == 1
    assert "finansiering.csv: finansiering file not found" in result.stderr


def test_a_missing_target_folder_is_created(run, project: Path) -> None:
    target = project.parent / "share" / "rapporter" / "finsam"
    result = run("export", "2017", "--format", "md", "--config", project / "finsam.toml", "--till", target)
    assert result.exit_code == 0, result.stderr
    assert (target / "2017" / "manifest.json").is_file()


def test_a_target_that_is_a_file_fails(run, project: Path) -> None:
    (project / "out").mkdir()
    (project / "out" / "export").write_text("not a folder", encoding="utf-8")  # katalog in finsam.toml
    result = run("export", "2017", "--config", project / "finsam.toml")
    assert result.exit_code == 1
    assert "the target is not a folder" in result.stderr
    assert export(run, project, "2017").exit_code == 0  # --till overrides the config


def test_logg_writes_to_the_file_and_errors_also_to_stderr(run, project: Path) -> None:
    log = project.parent / "export.log"
    ok = export(run, project, "2017", "--format", "md", "--logg", log)
    assert ok.exit_code == 0
    assert ok.stderr == ""
    first = log.read_text(encoding="utf-8").splitlines()
    assert SUMMARY.match(first[-1])

    (project / "sample_data" / "utfall.csv").write_bytes(b"\x00\x01 not a csv")
    bad = export(run, project, "2017", "--format", "md", "--logg", log)
    assert bad.exit_code == 1
    text = log.read_text(encoding="utf-8").splitlines()
    assert text[: len(first)] == first  # appended
    assert "nothing was replaced" in text[-1]
    assert bad.stderr.splitlines()[-1] == text[-1]


def test_bad_format_is_a_usage_error(run, project: Path) -> None:
    result = export(run, project, "2017", "--format", "md,pdf")
    assert result.exit_code == 2
    assert "unknown format 'pdf'" in result.stderr
    assert parse_formats("xlsx, md,xlsx") == ("xlsx", "md")


def test_no_target_anywhere_is_a_usage_error(run, tmp_path: Path) -> None:
    (tmp_path / "finsam.toml").write_text("", encoding="utf-8")
    result = run("export", "2017", "--config", tmp_path / "finsam.toml")
    assert result.exit_code == 2
    assert "no target folder: give --till DIR" in result.stderr


def test_damaged_manifest_means_exporting_again(run, project: Path) -> None:
    assert export(run, project, "2017", "--format", "md").exit_code == 0
    (project.parent / "ut" / "2017" / "manifest.json").write_text("{not json", encoding="utf-8")
    result = export(run, project, "2017", "--format", "md")
    assert result.exit_code == 0
    assert f"{STAMP} warning: manifest.json cannot be read" in result.stderr
    assert json.loads((project.parent / "ut" / "2017" / "manifest.json").read_text(encoding="utf-8"))["files"]


def test_small_count_protection_is_applied_to_every_report(run, project: Path, monkeypatch) -> None:
    seen: list[tuple[int, int]] = []

    def protect_all(reports, minimum):
        seen.append((len(reports), minimum))
        return list(reports)

    monkeypatch.setattr(published_module, "protect_all", protect_all)
    result = export(run, project, "2017", "--format", "md", "--skydda", "5")
    assert result.exit_code == 0, result.stderr
    assert seen == [(len(STEMS_2017), 5)]  # every report, protected together as one published set
    manifest = json.loads((project.parent / "ut" / "2017" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["skydda"] == 5


def test_export_and_a_single_report_protect_alike(run, project: Path) -> None:
    """One pipeline: the export's file is the single command's output, except that the export protects its
    files together, so it hides at least what the single report hides (a value another file prints is hidden)."""
    result = export(run, project, "2017", "--format", "md", "--skydda", "5")
    assert result.exit_code == 0, result.stderr
    exported = (project.parent / "ut" / "2017" / "maluppfyllelse_2017_ung-i-nynas.md").read_text(encoding="utf-8")
    single = run("maluppfyllelse", "2017", "--insats", "ung-i-nynas", "--skydda", "5",
                 "--config", project / "finsam.toml")
    assert single.exit_code == 0, single.stderr
    # The same table rows (the footnote may follow a table in the export only, where only it hides a cell).
    rows = [[line for line in text.splitlines() if line.startswith("|")] for text in (exported, single.stdout)]
    for mine, alone in zip(*rows, strict=True):
        cells = list(zip(mine.split("|"), alone.split("|"), strict=True))
        assert all(a.strip() == m.strip() or m.strip() == ".." for m, a in cells), (mine, alone)
    assert ".. = färre än 5 personer" in exported


def test_a_first_export_that_fails_leaves_no_year_folder(run, project: Path, monkeypatch) -> None:
    _fail_on_call(monkeypatch, "maluppfyllelse", 2, DataError("Ung i Tyresö: injected failure"))
    result = export(run, project, "2017")
    assert result.exit_code == 1
    assert not (project.parent / "ut").exists()  # the target folder it made is gone: no 2017/, no lock left
    assert "nothing was replaced" in result.stderr


def test_skydda_on_the_command_line_reaches_the_survey_shares(run, project: Path, monkeypatch) -> None:
    """`export --skydda N` wins over `[export] skydda` for the survey's shares too, as for every other table."""
    monkeypatch.setattr(published_module, "protect_all", lambda reports, minimum: list(reports))  # the tables'
    config = project / "finsam.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[export]\n", "[export]\nskydda = 0\n", 1), encoding="utf-8")
    board = ("| Använder ni uppföljning och utvärdering som underlag för att utveckla de samordnade "
             "rehabiliteringsinsatserna? | 7 | {} |")
    survey = project.parent / "ut" / "2017" / "enkat_2017.md"
    result = export(run, project, "2017", "--format", "md", "--skydda", "8")
    assert result.exit_code == 0, result.stderr
    lines = survey.read_text(encoding="utf-8").splitlines()
    assert board.format("..") in lines  # 7 answers, under 8
    assert ".. = andelen bygger på färre än 8 svar och visas inte." in lines
    result = export(run, project, "2017", "--format", "md", "--tvinga")
    assert result.exit_code == 0, result.stderr
    assert board.format("86\u00a0%") in survey.read_text(encoding="utf-8").splitlines()  # [export] skydda = 0
