"""The one schema: input columns, their header aliases, categories and value codes.

Each input file kind is a row declaration whose fields carry a `Col` marker. Loaders
derive header matching and parsing from it, and word the messages for failing rows
by validating those rows against the pydantic model made from it (`row_model`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args, get_type_hints

if TYPE_CHECKING:
    from pydantic import BaseModel

ColKind = Literal["text", "date", "int", "amount", "category", "multi", "bool", "pnr"]


@dataclass(frozen=True)
class Col:
    """How a model field appears in an export."""

    header: str
    kind: ColKind = "text"
    aliases: tuple[str, ...] = ()
    required: bool = False


@lru_cache(maxsize=4096, typed=True)  # a file's headers and codes repeat: each is folded once per run
def fold(text: str) -> str:
    """Fold a header or code for tolerant matching: case, accents, spaces, punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(ch for ch in decomposed if ch.isalnum())


# --- categories --------------------------------------------------------------------


class Kon(StrEnum):
    KVINNA = "Kvinna"
    MAN = "Man"


class Avslutsorsak(StrEnum):
    ARBETE = "Arbete"
    STUDIER = "Studier"
    ARBETSFORBEREDANDE = "Arbetsförberedande insats"
    ANNAT = "Annat"
    OKAND = "Okänd"
    FELREGISTRERING = "Felregistrering"


class Forsorjning(StrEnum):
    LON = "Lön"
    STUDIEMEDEL = "Studiemedel"
    A_KASSA = "A-kassa"
    AKTIVITETSSTOD = "Aktivitetsstöd"
    ETABLERINGSERSATTNING = "Etableringsersättning"
    FORSORJNINGSSTOD = "Försörjningsstöd"
    SJUKPENNING = "Sjukpenning"
    PARTIELL_SJUKPENNING = "Partiell sjukpenning"
    REHABILITERINGSERSATTNING = "Rehabiliteringsersättning"
    SJUKERSATTNING = "Sjukersättning"
    AKTIVITETSERSATTNING = "Aktivitetsersättning"
    INGEN_ERSATTNING = "Ingen ersättning"
    ANNAT = "Annat"


class Utbildningsniva(StrEnum):
    FORGYMNASIAL = "Förgymnasial"
    GYMNASIAL = "Gymnasial"
    EFTERGYMNASIAL = "Eftergymnasial"
    OKAND = "Okänd"


class RemittentGrupp(StrEnum):
    ARBETSFORMEDLINGEN = "Arbetsförmedlingen"
    FORSAKRINGSKASSAN = "Försäkringskassan"
    KOMMUN = "Kommun"
    REGION = "Region"
    EGEN_ANMALAN = "Egen anmälan"
    ANNAN = "Annan"


class JaNej(StrEnum):
    JA = "Ja"
    NEJ = "Nej"


class BudgetPeriod(StrEnum):
    HELAR = "Helår"
    HALVAR = "Halvår"


# Value codes seen in real exports, beyond the canonical spelling (which always matches).
VALUE_ALIASES: dict[type[StrEnum], dict[str, tuple[str, ...]]] = {
    Kon: {"Kvinna": ("K", "F", "Kvinnor", "Kv"), "Man": ("M", "Män")},
    Avslutsorsak: {
        "Arbete": ("Arbete med lönestöd", "Arbete utan stöd", "Arbete med stöd", "Anställning",
                   "Lönebidrag", "Nystartsjobb", "Lönestöd", "Eget företag"),
        "Studier": ("Utbildning", "Reguljära studier", "Studie"),
        "Arbetsförberedande insats": ("Arbetsförberedande", "Arbetsmarknadsinsats",
                                      "Kommunal arbetsmarknadsinsats", "AF program"),
        "Annat": ("Sjukdom", "Föräldraledig", "Föräldraledighet", "Flytt", "Flyttat",
                  "Annan insats", "Rehabilitering", "Övrigt", "Annan"),
        "Okänd": ("Okänt", "Tappad kontakt", "Vet ej", "Avbrott"),
        "Felregistrering": ("Felregistrerad", "Fel registrering"),
    },
    Forsorjning: {
        "Lön": ("Arbete", "Anställning", "Lönebidrag"),
        "Studiemedel": ("CSN",),
        "A-kassa": ("Arbetslöshetsersättning", "Akassa"),
        "Aktivitetsstöd": ("Utvecklingsersättning",),
        "Försörjningsstöd": ("Ekonomiskt bistånd", "EKB", "Socialbidrag"),
        "Sjukpenning": ("Hel sjukpenning",),
        "Rehabiliteringsersättning": ("Rehab-ersättning", "Rehabersättning"),
        "Sjukersättning": ("Förtidspension",),
        "Ingen ersättning": ("Ingen", "Saknar ersättning", "Saknar försörjning"),
        "Annat": ("Övrigt", "Annan"),
    },
    Utbildningsniva: {
        "Förgymnasial": ("Grundskola", "Förgymnasial utbildning"),
        "Gymnasial": ("Gymnasium", "Gymnasieskola"),
        "Eftergymnasial": ("Högskola", "Universitet", "Eftergymnasial utbildning"),
        "Okänd": ("Okänt", "Uppgift saknas"),
    },
    JaNej: {"Ja": ("J", "1", "True", "Sant", "X"), "Nej": ("N", "0", "False", "Falskt")},
    BudgetPeriod: {"Helår": ("År", "Helar"), "Halvår": ("Halvar", "H1", "Jan-jun")},
}

# Remittent fine values are free text; these word stems place them in a group.
REMITTENT_STEMS: dict[RemittentGrupp, tuple[str, ...]] = {
    RemittentGrupp.ARBETSFORMEDLINGEN: ("arbetsformedl", "af"),
    RemittentGrupp.FORSAKRINGSKASSAN: ("forsakringskass", "fk"),
    RemittentGrupp.REGION: ("region", "landsting", "vardcentral", "psykiatri", "sjukhus",
                            "habilitering", "bup", "beroende", "halso", "vard", "sll"),
    RemittentGrupp.KOMMUN: ("kommun", "socialtjanst", "forvaltning", "skola", "ekonomisktbistand",
                            "ungdomsmottagning", "stad", "socialkontor", "kaa"),
    RemittentGrupp.EGEN_ANMALAN: ("egen", "sjalv", "anhorig"),
    RemittentGrupp.ANNAN: ("annan", "ovrig"),
}


# --- input file models ---------------------------------------------------------------


class InputModel:
    """A row of one file kind: annotated fields with their `Col` marker and default, as a pydantic model's.

    Declared, not built: the loaders read the declaration (`fields_of`), and the pydantic model made from
    it (`row_model`) only words the messages for failing cells, so it is built for the first such message.
    Building the nine models at import cost a one-insats report about 15 ms of its start-up (issue 12).
    """


class Stint(InputModel):
    """One row of the participant export: one person's stint in one insats."""

    deltagar_id: Annotated[str | None, Col("Deltagar-ID", aliases=(
        "DeltagarID", "Deltagare ID", "Deltagarnummer", "Löpnummer", "ID", "Klient-ID"))] = None
    personnummer: Annotated[str | None, Col("Personnummer", "pnr", aliases=(
        "Personnr", "Pnr", "Person nummer"))] = None
    insats: Annotated[str, Col("Insats", required=True, aliases=(
        "Insatsnamn", "Insatsens namn", "Verksamhet"))]
    kommun: Annotated[str | None, Col("Kommun", aliases=("Hemkommun", "Bostadskommun"))] = None
    kon: Annotated[Kon, Col("Kön", "category", required=True, aliases=("Kon", "Juridiskt kön"))]
    fodelsear: Annotated[int | None, Col("Födelseår", "int", aliases=("Född år", "Födelse år"))] = None
    inskrivningsdatum: Annotated[date, Col("Inskrivningsdatum", "date", required=True, aliases=(
        "Inskriven", "Inskrivning", "Startdatum", "Inskrivning datum", "Startdatum insats"))]
    avslutsdatum: Annotated[date | None, Col("Avslutsdatum", "date", aliases=(
        "Avslut datum", "Utskrivningsdatum", "Slutdatum", "Avslutad", "Utskriven"))] = None
    avslutsorsak: Annotated[Avslutsorsak | None, Col("Avslutsorsak", "category", aliases=(
        "Orsak till avslut", "Avslutsanledning", "Utskrivningsorsak", "Avslut orsak"))] = None
    remittent: Annotated[str | None, Col("Remittent", aliases=(
        "Remitterad av", "Remitterande", "Anvisad av", "Aktör som anmält"))] = None
    forsorjning_start: Annotated[list[Forsorjning], Col("Försörjning vid inskrivning", "multi", aliases=(
        "Försörjning start", "Försörjningskälla vid inskrivning", "Försörjning inskrivning"))] = []
    forsorjning_slut: Annotated[list[Forsorjning], Col("Försörjning vid avslut", "multi", aliases=(
        "Försörjning slut", "Försörjningskälla vid avslut", "Försörjning avslut"))] = []
    forsorjning_uppfoljning: Annotated[list[Forsorjning], Col("Försörjning efter ett år", "multi", aliases=(
        "Försörjning ett år", "Försörjning 1 år", "Försörjningskälla efter ett år",
        "Försörjning uppföljning"))] = []
    utbildningsniva: Annotated[Utbildningsniva | None, Col("Utbildningsnivå", "category", aliases=(
        "Utbildning", "Utbildningsniva"))] = None
    fatt_insats: Annotated[JaNej | None, Col("Fått insats", "category", aliases=(
        "Fatt insats", "Med insats", "Insats given"))] = None


class Anonyma(InputModel):
    """Participants counted without a record, per insats, year and sex."""

    insats: Annotated[str, Col("Insats", required=True)]
    ar: Annotated[int, Col("År", "int", required=True, aliases=("Ar", "Year"))]
    kvinnor: Annotated[int, Col("Kvinnor", "int", required=True)]
    man: Annotated[int, Col("Män", "int", required=True, aliases=("Man",))]


class BudgetRow(InputModel):
    ar: Annotated[int, Col("År", "int", required=True, aliases=("Ar", "Budgetår"))]
    post: Annotated[str, Col("Post", required=True, aliases=("Budgetpost", "Rad", "Insats"))]
    grupp: Annotated[str, Col("Grupp", required=True, aliases=("Kategori", "Budgetgrupp"))]
    belopp: Annotated[float, Col("Belopp", "amount", required=True, aliases=("Budget", "Kronor", "Summa"))]
    period: Annotated[BudgetPeriod | None, Col("Period", "category")] = None
    # The economist's full-year forecast for the line (used by the half-year report).
    prognos: Annotated[float | None, Col("Prognos", "amount", aliases=("Prognos helår", "Helårsprognos"))] = None


class UtfallRow(InputModel):
    """Outcome: aggregated (År) or accounting transactions (Datum)."""

    ar: Annotated[int | None, Col("År", "int", aliases=("Ar",))] = None
    datum: Annotated[date | None, Col("Datum", "date", aliases=(
        "Bokföringsdatum", "Transaktionsdatum", "Verifikationsdatum"))] = None
    post: Annotated[str, Col("Post", required=True, aliases=("Budgetpost", "Rad", "Insats"))]
    grupp: Annotated[str | None, Col("Grupp", aliases=("Kategori",))] = None
    belopp: Annotated[float, Col("Belopp", "amount", required=True, aliases=("Utfall", "Kronor", "Summa"))]
    konto: Annotated[str | None, Col("Konto")] = None
    # A ledger's objects: with Konto they name the post where Post is not given ([bokforing] dimension).
    kostnadsstalle: Annotated[str | None, Col("Kostnadsställe", aliases=("Kostnadsstalle", "KST", "Ansvar"))] = None
    projekt: Annotated[str | None, Col("Projekt")] = None
    text: Annotated[str | None, Col("Text", aliases=("Beskrivning", "Verifikationstext"))] = None
    verifikation: Annotated[str | None, Col("Verifikation", aliases=("Ver nr", "Vernr", "Verifikat"))] = None


class FinansieringRow(InputModel):
    ar: Annotated[int, Col("År", "int", required=True, aliases=("Ar",))]
    post: Annotated[str, Col("Post", required=True)]
    kalla: Annotated[str, Col("Källa", required=True, aliases=("Finansiär", "Finansieringskälla"))]
    belopp: Annotated[float, Col("Belopp", "amount", required=True)]


class ForklaringRow(InputModel):
    ar: Annotated[int, Col("År", "int", required=True, aliases=("Ar",))]
    post: Annotated[str, Col("Post", required=True)]
    forklaring: Annotated[str, Col("Förklaring", required=True, aliases=("Kommentar", "Text"))]


class PrognosRow(InputModel):
    """The economist's full-year forecast per line (the half-year report); År optional, an empty Prognos is none.

    Post and Prognos are required columns (see inputs/kinds.py); a row may leave both empty."""

    ar: Annotated[int | None, Col("År", "int", aliases=("Ar", "Budgetår"))] = None
    post: Annotated[str | None, Col("Post", aliases=("Budgetpost", "Rad", "Insats"))] = None
    # Belopp too, as the forecast files in use spell it; guessing asks for a Prognos header (inputs/kinds.py).
    prognos: Annotated[float | None, Col("Prognos", "amount", aliases=(
        "Prognos helår", "Helårsprognos", "Belopp"))] = None


class BefolkningRow(InputModel):
    kommun: Annotated[str, Col("Kommun", required=True)]
    datum: Annotated[date, Col("Datum", "date", required=True)]
    invanare: Annotated[int, Col("Invånare", "int", required=True, aliases=(
        "Folkmängd", "Befolkning", "Antal invånare"))]


class EnkatRow(InputModel):
    """One answered questionnaire. Every column that is not a field here is a question:
    its header is the question's text, its cells the answers (see `inputs/enkat.py`)."""

    enkat: Annotated[str, Col("Enkät", required=True, aliases=("Enkat", "Enkätnamn", "Respondentgrupp"))]
    insats: Annotated[str | None, Col("Insats", aliases=("Insatsnamn", "Verksamhet"))] = None
    datum: Annotated[date | None, Col("Datum", "date", aliases=("Svarsdatum", "Besvarad", "Inskickad"))] = None
    ar: Annotated[int | None, Col("År", "int", aliases=("Ar",))] = None
    kon: Annotated[Kon | None, Col("Kön", "category", aliases=("Kon",))] = None


# Survey answers by default; `[enkat.svar]` in finsam.toml extends or replaces the lists.
SURVEY_POSITIVE = ("Helt och hållet", "Till mycket stor del", "Till stor del", "Ja", "Mycket bra", "Bra")
SURVEY_NOT_AN_ANSWER = ("Vet ej", "Ej aktuellt")  # and blank: left out of a question's number of answers
SURVEY_NEGATIVE = ("Till viss del", "Till liten del", "Inte alls", "Nej", "Dåligt", "Mycket dåligt")


class FileKind(StrEnum):
    DELTAGARE = "deltagare"
    ANONYMA = "anonyma"
    BUDGET = "budget"
    UTFALL = "utfall"
    FINANSIERING = "finansiering"
    FORKLARINGAR = "forklaringar"
    BEFOLKNING = "befolkning"
    ENKAT = "enkat"
    PROGNOS = "prognos"


MODELS: dict[FileKind, type[InputModel]] = {
    FileKind.DELTAGARE: Stint,
    FileKind.ANONYMA: Anonyma,
    FileKind.BUDGET: BudgetRow,
    FileKind.UTFALL: UtfallRow,
    FileKind.FINANSIERING: FinansieringRow,
    FileKind.FORKLARINGAR: ForklaringRow,
    FileKind.BEFOLKNING: BefolkningRow,
    FileKind.ENKAT: EnkatRow,
    FileKind.PROGNOS: PrognosRow,
}


@dataclass(frozen=True)
class Field:
    """A model field with its column marker, as loaders use it."""

    name: str
    col: Col
    enum: type[StrEnum] | None


def fields_of(kind: FileKind) -> list[Field]:
    return list(_fields(kind))


@cache
def _fields(kind: FileKind) -> tuple[Field, ...]:
    out = []
    for name, hint in _declared(MODELS[kind]).items():
        annotation, *metadata = get_args(hint)  # Annotated[annotation, Col(...)]
        col = next(m for m in metadata if isinstance(m, Col))
        out.append(Field(name, col, _enum_in(annotation)))
    return tuple(out)


def _declared(model: type[InputModel]) -> dict[str, Any]:
    """The model's fields in declaration order, each with its Annotated hint (marker included)."""
    return get_type_hints(model, include_extras=True)


@cache
def row_model(kind: FileKind) -> type[BaseModel]:
    """The pydantic model of a row of this kind, built on first use from the declaration."""
    from pydantic import ConfigDict, create_model

    model = MODELS[kind]
    fields: dict[str, Any] = {name: (hint, getattr(model, name, ...)) for name, hint in _declared(model).items()}
    return create_model(model.__name__, __config__=ConfigDict(frozen=True, str_strip_whitespace=True), **fields)


def _enum_in(annotation: object) -> type[StrEnum] | None:
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _enum_in(arg)
        if found is not None:
            return found
    return None
