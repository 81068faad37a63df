"""Reports are built from an `Inputs` view the session loads; a build itself loads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_cli.errors import DataError, MissingInput
from finsam_cli.inputs.schema import FileKind
from finsam_cli.inputs.session import open_session
from finsam_cli.inputs.view import Inputs
from finsam_cli.reports.ekonomi.budget_avvikelse_entry import BUDGET_AVVIKELSE, BudgetAvvikelseParams
from finsam_cli.reports.ekonomi.medlemsavgifter import medlemsavgifter_report
from finsam_cli.reports.ekonomi.medlemsavgifter_entry import MedlemsavgifterParams

from .conftest import ROOT

CONFIG = ROOT / "finsam.toml"


def test_the_session_loads_only_the_kinds_a_report_reads_in_its_order() -> None:
    session = open_session(CONFIG)
    inputs = session.inputs_for(("budget", "utfall", "finansiering"), ("budget", "utfall"))
    assert list(inputs.files) == [FileKind.BUDGET, FileKind.UTFALL, FileKind.FINANSIERING]
    assert [s.name for s in inputs.sources()] == ["budget.csv", "utfall.csv", "finansiering.csv"]
    assert inputs.memo is session.memo  # shared by every report built from the session


def test_a_build_from_a_hand_made_view_needs_no_session() -> None:
    session = open_session(CONFIG)
    loaded = session.load(FileKind.BEFOLKNING)
    report = medlemsavgifter_report(Inputs(session.config, {FileKind.BEFOLKNING: loaded}),
                                    MedlemsavgifterParams(2019, total=16_416_000))
    assert report.provenance.inputs == (loaded.source,)


def test_a_missing_kind_in_the_view_names_the_kind() -> None:
    with pytest.raises(MissingInput) as caught:
        Inputs(open_session(CONFIG).config, {}).frame(FileKind.BUDGET)
    assert caught.value.kind == "budget"


def test_the_forecast_is_read_for_the_half_year_report_only(tmp_path: Path) -> None:
    session = open_session(CONFIG, {FileKind.PROGNOS: tmp_path / "saknas.csv"})
    BUDGET_AVVIKELSE.build(session, BudgetAvvikelseParams(2017))  # the missing forecast file is not read
    with pytest.raises(DataError, match=r"saknas\.csv"):
        BUDGET_AVVIKELSE.build(session, BudgetAvvikelseParams(2018, halvar=True))
