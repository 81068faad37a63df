"""finsam.toml: found, parsed and validated into one pydantic model."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .inputs.schema import (
    SURVEY_NEGATIVE,
    SURVEY_NOT_AN_ANSWER,
    SURVEY_POSITIVE,
    Forsorjning,
    RemittentGrupp,
    fold,
)
from .publish.formats import DEFAULT, Format
from .slugs import slugify

CONFIG_ENV = "FINSAM_CONFIG"
DEFAULT_NAME = "finsam.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Goals(_Strict):
    """Goals for one insats and year; shares are percentages (65 means 65 %)."""

    deltagare: int | None = Field(None, ge=0)
    nya_deltagare: int | None = Field(None, ge=0)
    deltagare_med_insats: int | None = Field(None, ge=0)
    andel_arbete_studier: float | None = Field(None, ge=0, le=100)
    andel_arbete: float | None = Field(None, ge=0, le=100)
    andel_studier: float | None = Field(None, ge=0, le=100)
    andel_arbetsforberedande: float | None = Field(None, ge=0, le=100)
    minskning_forsorjningsstod: float | None = Field(None, ge=0, le=100)
    # Survey goals: a question's exact text -> the share positive aimed at, in percent.
    enkat: dict[str, Annotated[float, Field(ge=0, le=100)]] = {}


class Insats(_Strict):
    namn: str = Field(min_length=1)
    slug: str | None = None
    kommun: str | None = None
    # Which exits form the denominator of the shares: all, or those that received an insats.
    namnare: Literal["alla", "med_insats"] = "alla"
    mal: dict[int, Goals] = {}
    # The insats group of the annual report's participant figures (e.g. "Unga", "Resursråd").
    grupp: str | None = None
    # Uppföljning Finsam: an insats for individuals (counted by sex) or a structural one.
    inriktning: Literal["individinriktad", "strukturövergripande"] = "individinriktad"
    # ESF-financed; None: decided per year from the financing file.
    esf: bool | None = None
    # Participants of a structural insats per year, which the participant export does not hold.
    deltagare_antal: dict[int, int] = {}
    # The budget lines that are this insats's money; empty: the line named as the insats.
    budgetposter: list[str] = []

    @property
    def key(self) -> str:
        return self.slug or slugify(self.namn)

    @property
    def posts(self) -> list[str]:
        return self.budgetposter or [self.namn]

    @field_validator("slug")
    @classmethod
    def _slug_is_safe(cls, value: str | None) -> str | None:
        if value is not None and slugify(value) != value:
            raise ValueError(f"slug must be lower-case letters, digits and '-', e.g. {slugify(value)!r}")
        return value


class Profile(_Strict):
    """How one export system spells headers and codes."""

    # canonical field name -> extra header spellings
    kolumner: dict[str, list[str]] = {}
    # canonical field name -> {code in the file: canonical value}
    varden: dict[str, dict[str, str]] = {}
    # fine remittent value -> group
    remittent: dict[str, RemittentGrupp] = {}


class DataFiles(_Strict):
    deltagare: Path | None = None
    anonyma: Path | None = None
    budget: Path | None = None
    utfall: Path | None = None
    sie: Path | None = None  # the accounts (SIE4 export, or a saldolista) for `bokslut`
    finansiering: Path | None = None
    forklaringar: Path | None = None
    befolkning: Path | None = None
    enkat: Path | None = None
    prognos: Path | None = None
    profil: str = "aventus"


class Forbund(_Strict):
    namn: str = "Samordningsförbundet"


class Troskel(_Strict):
    # Deviations at or above this many kronor (absolute) need a written explanation.
    forklaring: float = Field(100_000, ge=0)
    # Whether revenue lines need one too (they are not costs: by default they do not).
    intakter: bool = False


class Sekretess(_Strict):
    # Cells counting 1..minsta_antal-1 persons are hidden; 0 turns protection off.
    minsta_antal: int = Field(0, ge=0)


class Export(_Strict):
    katalog: Path | None = None
    format: list[Format] = list(DEFAULT)
    skydda: int | None = Field(None, ge=0)
    # Only these reports (commands, e.g. "maluppfyllelse"); empty: every report.
    rapporter: list[str] = []

    @field_validator("rapporter")
    @classmethod
    def _known_reports(cls, value: list[str]) -> list[str]:
        from .reports.registry import unknown_commands

        why = unknown_commands(value)
        if why is not None:
            raise ValueError(why)
        return value


class Medlemsavgifter(_Strict):
    statlig: str = "Försäkringskassan och Arbetsförmedlingen"
    region: str = "Region Stockholm"
    kommuner: list[str] = []
    # Total fee per year, so that `export` can produce the split unattended.
    total: dict[int, int] = {}


class Budget(_Strict):
    # New line name -> the earlier year's line names it replaces (renamed or merged lines).
    radmappning: dict[str, list[str]] = {}


class Bokslut(_Strict):
    """The financial statements (`finsam bokslut`)."""

    # Statement line -> account ranges [first, last], both included; replaces the default ranges of that line.
    rader: dict[str, list[tuple[int, int]]] = {}
    # Not 1, Redovisningsprinciper; None: the law in force for the year.
    redovisningsprinciper: str | None = Field(None, min_length=1)

    @field_validator("rader")
    @classmethod
    def _known_lines_and_ranges(cls, value: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
        from .reports.ekonomi.bokslut.chart import DEFAULT_RADER, YEAR_END

        lines = [line for line in DEFAULT_RADER if line != YEAR_END]
        for line, ranges in value.items():
            if line not in lines:
                raise ValueError(f"unknown line {line!r}; the lines are {', '.join(lines)}")
            for first, last in ranges:
                if not 1000 <= first <= last <= 9999:
                    raise ValueError(f"{line}: the range [{first}, {last}] must be four-digit accounts, first ≤ last")
        return value


class Bokforing(_Strict):
    """How the accounts (SIE, or a ledger with a Konto column) map to budget lines."""

    # The SIE object dimension naming a transaction's post; None: 6 (Projekt) when used, else 1.
    dimension: int | None = Field(None, ge=1)
    # An account ("5010") or an inclusive range ("5000-5999") -> the post of its transactions without an object.
    konton: dict[str, str] = {}

    @field_validator("konton")
    @classmethod
    def _accounts_or_ranges(cls, value: dict[str, str]) -> dict[str, str]:
        for key, post in value.items():
            parse_account_key(key)
            if not post.strip():
                raise ValueError(f"{key!r}: the post name is empty")
        return value

    def posts(self) -> dict[int | tuple[int, int], str]:
        return {parse_account_key(key): post for key, post in self.konton.items()}


def parse_account_key(key: str) -> int | tuple[int, int]:
    """`5010` -> 5010; `5000-5999` (any dash) -> (5000, 5999)."""
    parts = [p.strip() for p in re.split("[-\u2013\u2014\u2212]", key.strip())]
    if all(p.isdigit() and 1000 <= int(p) <= 9999 for p in parts) and len(parts) in (1, 2):
        if len(parts) == 1:
            return int(parts[0])
        low, high = int(parts[0]), int(parts[1])
        if low <= high:
            return (low, high)
    raise ValueError(f"{key!r} is not an account (four digits, e.g. \"5010\") or a range (e.g. \"5000-5999\")")


class Granser(_Strict):
    """Limits on inputs, so a damaged or hostile file is refused instead of exhausting the machine."""

    max_storlek: int = Field(2 * 1024**3, gt=0)  # bytes per input file (an xlsx: see readers)
    max_kolumner: int = Field(1000, gt=0)  # columns per input file


class Malgrupp(_Strict):
    """The annual report's figures on the target group ("Målgruppen och antalet deltagare")."""

    # Age bands as [first, last] ages, both included.
    aldersgrupper: list[tuple[int, int]] = [(16, 24), (25, 49), (50, 64)]

    @field_validator("aldersgrupper")
    @classmethod
    def _bands_are_ordered(cls, value: list[tuple[int, int]]) -> list[tuple[int, int]]:
        for (low, high), after in zip(value, [*value[1:], None], strict=True):
            if not 0 <= low <= high or (after is not None and after[0] <= high):
                raise ValueError("each band is [first, last] with first ≤ last, in order, without overlaps")
        return value

    @property
    def bands(self) -> tuple[tuple[str, int, int], ...]:
        return tuple((f"{low}–{high}", low, high) for low, high in self.aldersgrupper)


class Uppfoljning(_Strict):
    # The equity at the end of a year (kronor), from an earlier annual report; without the accounts,
    # finsam adds the outcome file's results of the years after it.
    eget_kapital: dict[int, int] = {}


class Svarsskala(_Strict):
    """`[enkat.svar]`: answers added to the default lists, or (ersatt = true) the lists themselves."""

    positiva: list[str] = []
    ej_svar: list[str] = []  # not an answer: left out of the number of answers, as a blank cell is
    negativa: list[str] = []
    ersatt: bool = False

    def lists(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Positive, not-an-answer and negative answers in force."""
        if self.ersatt:
            return tuple(self.positiva), tuple(self.ej_svar), tuple(self.negativa)
        return ((*SURVEY_POSITIVE, *self.positiva), (*SURVEY_NOT_AN_ANSWER, *self.ej_svar),
                (*SURVEY_NEGATIVE, *self.negativa))

    @model_validator(mode="after")
    def _each_answer_once(self) -> Svarsskala:
        seen: dict[str, str] = {}
        for name, answers in zip(("positiva", "ej_svar", "negativa"), self.lists(), strict=True):
            for answer in answers:
                other = seen.setdefault(fold(answer), name)
                if other != name:
                    raise ValueError(f"the answer {answer!r} is in both {other} and {name}")
        return self


class Enkat(_Strict):
    # In a group whose answers name an insats, an insats with fewer answers in the period is left out.
    minsta_antal_svar: int = Field(10, ge=1)
    svar: Svarsskala = Svarsskala()


class Pseudonymisering(_Strict):
    nyckelfil: Path | None = None


DEFAULT_GROUPS: dict[str, list[Forsorjning]] = {
    "Lön/CSN": [Forsorjning.LON, Forsorjning.STUDIEMEDEL],
    "A-kassa/aktivitetsstöd": [Forsorjning.A_KASSA, Forsorjning.AKTIVITETSSTOD,
                               Forsorjning.ETABLERINGSERSATTNING],
    "Sjukersättning/Aktivitetsersättning": [Forsorjning.SJUKERSATTNING, Forsorjning.AKTIVITETSERSATTNING],
    "Hel sjukpenning": [Forsorjning.SJUKPENNING],
    "Partiell sjukpenning": [Forsorjning.PARTIELL_SJUKPENNING],
    "Rehab-ersättning": [Forsorjning.REHABILITERINGSERSATTNING],
    "Försörjningsstöd": [Forsorjning.FORSORJNINGSSTOD],
    "Annat": [Forsorjning.ANNAT, Forsorjning.INGEN_ERSATTNING],
}


class Config(_Strict):
    forbund: Forbund = Forbund()
    data: DataFiles = DataFiles()
    insatser: list[Insats] = []
    profiler: dict[str, Profile] = {}
    forsorjning: dict[str, list[Forsorjning]] = DEFAULT_GROUPS
    troskel: Troskel = Troskel()
    sekretess: Sekretess = Sekretess()
    export: Export = Export()
    medlemsavgifter: Medlemsavgifter = Medlemsavgifter()
    budget: Budget = Budget()
    bokslut: Bokslut = Bokslut()
    bokforing: Bokforing = Bokforing()
    malgrupp: Malgrupp = Malgrupp()
    uppfoljning: Uppfoljning = Uppfoljning()
    pseudonymisering: Pseudonymisering = Pseudonymisering()
    granser: Granser = Granser()
    enkat: Enkat = Enkat()
    mallar: Path | None = None
    # Where the file was read from (None: built-in defaults).
    source: Path | None = None

    @model_validator(mode="before")
    @classmethod
    def _extend_forsorjning(cls, raw: object) -> object:
        """A [forsorjning] table extends the default grouping (its groups replace same-named ones and take
        their sources from the others) unless it says `ersatt = true`, when it is the whole grouping."""
        if not isinstance(raw, dict) or not isinstance(raw.get("forsorjning"), dict):
            return raw
        table = dict(raw["forsorjning"])
        replace = table.pop("ersatt", False)
        if replace is not True and replace is not False:
            raise ValueError(f"forsorjning.ersatt: true or false (got {replace!r})")
        if not replace:
            taken = {str(s) for sources in table.values() if isinstance(sources, list) for s in sources}
            merged: dict[str, object] = {}
            for name, sources in DEFAULT_GROUPS.items():  # the default order; a group the table names is its
                kept = table.pop(name, [s for s in sources if s.value not in taken])
                if kept:
                    merged[name] = kept
            table = {**merged, **table}
        return {**raw, "forsorjning": table}

    def ungrouped_sources(self) -> list[str]:
        """Sources of support no [forsorjning] group covers: participants with them fall out of the tables."""
        grouped = {s for sources in self.forsorjning.values() for s in sources}
        return [s.value for s in Forsorjning if s not in grouped]

    @model_validator(mode="after")
    def _check(self) -> Config:
        keys = [i.key for i in self.insatser]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"insatser: the slug {dupes[0]!r} is used twice")
        grouped = [s for sources in self.forsorjning.values() for s in sources]
        twice = sorted({s.value for s in grouped if grouped.count(s) > 1})
        if twice:
            raise ValueError(f"forsorjning: {twice[0]!r} is placed in more than one group")
        if self.data.profil != "aventus" and self.data.profil not in self.profiler:
            raise ValueError(f"data.profil: no [profiler.{self.data.profil}] section")
        return self

    def profile(self) -> Profile:
        return self.profiler.get(self.data.profil, Profile())


def find_config_path(explicit: Path | None) -> Path | None:
    """--config, then $FINSAM_CONFIG, then ./finsam.toml; None when there is none."""
    if explicit is not None:
        _check_config_file(explicit, "")
        return explicit
    env = os.environ.get(CONFIG_ENV)
    if env:
        path = Path(env)
        _check_config_file(path, f" (from ${CONFIG_ENV})")
        return path
    local = Path(DEFAULT_NAME)
    return local if local.is_file() else None


def _check_config_file(path: Path, origin: str) -> None:
    if path.is_dir():
        raise ConfigError(f"{path}: is a folder, not a config file{origin}")
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found{origin}")


def load_config(explicit: Path | None = None) -> Config:
    path = find_config_path(explicit)
    if path is None:
        return Config()
    return parse_config(path)


def parse_config(path: Path) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: invalid configuration"]
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            got = f" (got {err['input']!r})" if not isinstance(err["input"], dict | list) else ""
            lines.append(f"  {where}: {err['msg']}{got}")
        raise ConfigError("\n".join(lines)) from None
    return _resolve_paths(config, path)


def _resolve_paths(config: Config, path: Path) -> Config:
    """Make file paths relative to the config file, so it works from any directory."""
    base = path.resolve().parent

    def resolve(p: Path | None) -> Path | None:
        if p is None:
            return None
        p = p.expanduser()  # `~/data/deltagare.csv`, as a shell would read it
        return p if p.is_absolute() else base / p

    data = config.data.model_copy(update={
        name: resolve(getattr(config.data, name))
        for name in DataFiles.model_fields if name != "profil"
    })
    export = config.export.model_copy(update={"katalog": resolve(config.export.katalog)})
    pseudo = config.pseudonymisering.model_copy(update={"nyckelfil": resolve(config.pseudonymisering.nyckelfil)})
    return config.model_copy(update={
        "data": data, "export": export, "pseudonymisering": pseudo,
        "mallar": resolve(config.mallar), "source": path,
    })
