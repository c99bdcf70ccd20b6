"""Case format v1: one schema for every file of a case, used by the loader and the docs.

Vocabulary follows FollowTheMoney (Person, Organization, Phone, BankAccount, Vehicle, Address;
Call, Message, Payment, Trip, Event, Ownership, Associate), extended for smuggling: cell sites
and handsets on calls, payment channels such as hawala, border detections, and a confidence
grade on every piece of evidence (the 4x4 handling code used by Europol and the region's police:
source reliability A, B, C or X, information 1 to 4).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "FORMAT_VERSION",
    "ROLES",
    "ENTITY_FILES",
    "EVENT_FILES",
    "CaseMeta",
    "Phase",
    "DocumentMeta",
    "Answers",
    "Person",
    "Organisation",
    "Phone",
    "Account",
    "Vehicle",
    "Location",
    "Communication",
    "Payment",
    "Trip",
    "Detection",
    "Link",
]

FORMAT_VERSION = 1

# The roles a team can assign and a model answer names; shared with the conclusions form.
ROLES = (
    "organiser",
    "recruiter",
    "driver",
    "walker",
    "safe_house_keeper",
    "money_holder",
    "forger",
    "official",
    "migrant",
    "witness",
    "other",
)

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_GRADE = re.compile(r"^[ABCX][1-4]$")
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: start with a letter, then letters, digits, '-', '_' "
            "or '.', at most 64 characters"
        )
    return value


def _split_ids(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _check_ids(values: list[str]) -> list[str]:
    return [_check_id(v) for v in values]


def _amount(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if "," in text:
            raise ValueError(
                f"{text!r} is not an amount: use a dot for decimals and no thousands "
                "separator, e.g. 1200.50"
            )
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an amount like 1200.50") from None
    return value


Id = Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1)]
OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
IdList = Annotated[list[str], BeforeValidator(_split_ids)]
Amount = Annotated[Decimal, BeforeValidator(_amount), Field(gt=0)]
Grade = Annotated[str, BeforeValidator(_blank_to_none)]
# Text shown to participants: a plain string in the case's source language, or a mapping of
# language tag to text where the author gives translations.
Text = str | dict[str, str]


class _Row(BaseModel):
    """A record of a CSV table: unknown columns are errors, blank cells are missing values."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    # Which columns must exist in the file's header even when a row may leave them blank.
    file: ClassVar[str] = ""

    id: Id
    description: OptStr = None

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        return _check_id(value)

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _blank_to_none(v) for k, v in data.items()}
        return data


def _naive(value: dt.datetime, info: ValidationInfo) -> dt.datetime:
    """Store every time as the case's local wall-clock time, without an offset."""
    if value.tzinfo is not None:
        tz = (info.context or {}).get("timezone", "UTC")
        value = value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return value


# ---------------------------------------------------------------- entities


class _Entity(_Row):
    """Common columns of every entity table."""

    type: ClassVar[str] = ""
    label_field: ClassVar[str] = "id"
    # First phase in which participants may see the entity; blank = when evidence first names it.
    phase: int | None = Field(default=None, ge=1)


class Person(_Entity):
    """A person: suspect, migrant, witness or official. Names are invented pseudonyms."""

    type: ClassVar[str] = "person"
    file: ClassVar[str] = "persons.csv"
    label_field: ClassVar[str] = "name"

    name: Id
    alias: OptStr = None
    status: Literal["suspect", "migrant", "witness", "official", "other"] = "other"
    gender: Literal["female", "male", "other", "unknown"] | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    age_stated: int | None = Field(default=None, ge=0, le=120)
    nationality: OptStr = None

    @field_validator("nationality")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.upper()
        if value is not None and not _COUNTRY.match(value):
            raise ValueError(f"{value!r} is not a two-letter country code like AF or MK")
        return value


class Organisation(_Entity):
    """A company, shop, agency or authority."""

    type: ClassVar[str] = "organisation"
    file: ClassVar[str] = "organisations.csv"
    label_field: ClassVar[str] = "name"

    name: Id
    kind: Literal[
        "company",
        "money_transfer_shop",
        "exchange_office",
        "travel_agency",
        "ngo",
        "authority",
        "other",
    ] = "other"
    country: OptStr = None

    _country = field_validator("country")(Person._country.__func__)


class Phone(_Entity):
    """A phone line: number, the SIM card in it and the handset (IMEI) it was seen in."""

    type: ClassVar[str] = "phone"
    file: ClassVar[str] = "phones.csv"
    label_field: ClassVar[str] = "number"

    number: Id
    sim: OptStr = None
    imei: OptStr = None

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not _PHONE.match(value):
            raise ValueError(f"{value!r} is not an international number like +38970123456")
        return value

    @field_validator("imei")
    @classmethod
    def _imei(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{14,16}", value):
            raise ValueError(f"{value!r} is not an IMEI (14 to 16 digits)")
        return value


class Account(_Entity):
    """Where money is held: a bank account, a money-transfer customer, a hawala ledger."""

    type: ClassVar[str] = "account"
    file: ClassVar[str] = "accounts.csv"
    label_field: ClassVar[str] = "identifier"

    identifier: Id
    kind: Literal["bank", "money_transfer", "hawala", "mobile_wallet", "cash"]
    institution: OptStr = None
    country: OptStr = None
    currency: OptStr = None

    _country = field_validator("country")(Person._country.__func__)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.upper()
        if value is not None and not _CURRENCY.match(value):
            raise ValueError(f"{value!r} is not a three-letter currency code like EUR")
        return value


class Vehicle(_Entity):
    """A vehicle or boat; plates are invented."""

    type: ClassVar[str] = "vehicle"
    file: ClassVar[str] = "vehicles.csv"
    label_field: ClassVar[str] = "plate"

    plate: Id
    kind: Literal["car", "van", "truck", "bus", "boat", "other"] = "other"
    make: OptStr = None
    model: OptStr = None
    colour: OptStr = None
    country: OptStr = None

    _country = field_validator("country")(Person._country.__func__)


class Location(_Entity):
    """A real place with coordinates (WGS84) and what it is in the case."""

    type: ClassVar[str] = "location"
    file: ClassVar[str] = "locations.csv"
    label_field: ClassVar[str] = "name"

    name: Id
    kind: Literal[
        "city",
        "address",
        "safe_house",
        "border_crossing",
        "river_crossing",
        "cell_site",
        "reception_centre",
        "meeting_point",
        "police_station",
        "other",
    ] = "other"
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    country: OptStr = None

    _country = field_validator("country")(Person._country.__func__)


ENTITY_FILES: dict[str, type[_Entity]] = {
    m.file: m for m in (Person, Organisation, Phone, Account, Vehicle, Location)
}
ENTITY_TYPES = {m.type: m for m in ENTITY_FILES.values()}

# ------------------------------------------------------------------ events

PARTY = ("person", "organisation")


class _Evidence(_Row):
    """Common columns of every event and link: where it comes from and how far to trust it."""

    event: ClassVar[str] = ""
    # column -> entity types it may reference; a list column may hold several ids.
    refs: ClassVar[dict[str, tuple[str, ...]]] = {}

    source: Id
    confidence: Grade

    @field_validator("confidence")
    @classmethod
    def _grade(cls, value: str) -> str:
        value = value.upper()
        if not _GRADE.match(value):
            raise ValueError(
                f"{value!r} is not a grade: source A, B, C or X, then information 1-4, e.g. B2"
            )
        return value


class Communication(_Evidence):
    """A call or a message between two phone lines, with cell sites where known."""

    event: ClassVar[str] = "communication"
    file: ClassVar[str] = "communications.csv"
    refs: ClassVar[dict[str, tuple[str, ...]]] = {
        "caller": ("phone",),
        "receiver": ("phone",),
        "caller_cell": ("location",),
        "receiver_cell": ("location",),
    }

    kind: Literal["call", "message"]
    time: dt.datetime
    caller: Id
    receiver: Id
    duration_s: int | None = Field(default=None, ge=0)
    app: Literal["gsm", "sms", "whatsapp", "viber", "telegram", "signal", "other"] | None = None
    caller_cell: OptStr = None
    receiver_cell: OptStr = None
    content: OptStr = None

    _time = field_validator("time")(_naive)


class Payment(_Evidence):
    """A transfer of money, with the channel it went through (bank, hawala, money transfer)."""

    event: ClassVar[str] = "payment"
    file: ClassVar[str] = "payments.csv"
    refs: ClassVar[dict[str, tuple[str, ...]]] = {
        "payer": PARTY,
        "payer_account": ("account",),
        "payee": PARTY,
        "payee_account": ("account",),
    }

    time: dt.datetime
    payer: OptStr = None
    payer_account: OptStr = None
    payee: OptStr = None
    payee_account: OptStr = None
    amount: Amount
    currency: str
    channel: Literal["bank", "money_transfer", "hawala", "cash", "mobile_wallet", "other"]
    purpose: OptStr = None

    _time = field_validator("time")(_naive)
    _currency = field_validator("currency")(Account._currency.__func__)

    @model_validator(mode="after")
    def _two_sides(self) -> Payment:
        if not (self.payer or self.payer_account):
            raise ValueError("give the payer, the payer_account or both")
        if not (self.payee or self.payee_account):
            raise ValueError("give the payee, the payee_account or both")
        return self


class Trip(_Evidence):
    """A leg of a journey: from one location to another, on foot or in a vehicle."""

    event: ClassVar[str] = "trip"
    file: ClassVar[str] = "trips.csv"
    refs: ClassVar[dict[str, tuple[str, ...]]] = {
        "origin": ("location",),
        "destination": ("location",),
        "vehicle": ("vehicle",),
        "driver": ("person",),
        "passengers": ("person",),
    }

    start: dt.datetime
    end: dt.datetime | None = None
    origin: Id
    destination: Id
    mode: Literal["vehicle", "foot", "boat", "train", "bus", "taxi", "other"]
    vehicle: OptStr = None
    driver: OptStr = None
    passengers: IdList = []
    passenger_count: int | None = Field(default=None, ge=0)

    _start = field_validator("start")(_naive)
    _end = field_validator("end")(_naive)
    _passengers = field_validator("passengers")(_check_ids)

    @model_validator(mode="after")
    def _order(self) -> Trip:
        if self.end is not None and self.end < self.start:
            raise ValueError("the trip ends before it starts")
        return self


class Detection(_Evidence):
    """Something the authorities saw: an interception, a border detection, an arrest."""

    event: ClassVar[str] = "detection"
    file: ClassVar[str] = "detections.csv"
    refs: ClassVar[dict[str, tuple[str, ...]]] = {
        "location": ("location",),
        "vehicle": ("vehicle",),
        "persons": ("person",),
    }

    time: dt.datetime
    location: Id
    type: Literal[
        "interception",
        "border_detection",
        "pushback",
        "arrest",
        "registration",
        "search",
        "other",
    ]
    vehicle: OptStr = None
    persons: IdList = []
    person_count: int | None = Field(default=None, ge=0)

    _time = field_validator("time")(_naive)
    _persons = field_validator("persons")(_check_ids)


LINK_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (subject types, object types)
    "uses": (PARTY, ("phone", "vehicle", "account")),
    "owns": (PARTY, ("phone", "vehicle", "account", "location", "organisation")),
    "associate": (PARTY, PARTY),
    "family": (("person",), ("person",)),
    "member_of": (("person",), ("organisation",)),
    "employed_by": (("person",), ("organisation",)),
    "stays_at": (("person",), ("location",)),
}


class Link(_Evidence):
    """A lasting relation: who uses a phone, owns a van, knows whom, stays where."""

    event: ClassVar[str] = "link"
    file: ClassVar[str] = "links.csv"

    type: Literal["uses", "owns", "associate", "family", "member_of", "employed_by", "stays_at"]
    subject: Id
    object: Id
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def ref_types(self) -> dict[str, tuple[str, ...]]:
        """Entity types each column of this link may reference, which depend on its type."""
        subject, obj = LINK_KINDS[self.type]
        return {"subject": subject, "object": obj}


EVENT_FILES: dict[str, type[_Evidence]] = {
    m.file: m for m in (Communication, Payment, Trip, Detection, Link)
}

# ------------------------------------------------------------- case.yml etc.


class _Yaml(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Phase(_Yaml):
    """A step of the investigation: it releases its documents and the evidence they carry."""

    number: int = Field(ge=1)
    title: Text
    briefing: Text
    # sha256 of "<case id>:<phase number>:<CODE>", made with `casebook hash-code`.
    unlock_sha256: str | None = None

    @field_validator("unlock_sha256")
    @classmethod
    def _hash(cls, value: str | None) -> str | None:
        if value is not None and not _SHA256.match(value):
            raise ValueError("not a sha256 hash: make one with `casebook hash-code`")
        return value


class CaseMeta(_Yaml):
    """The case.yml file: what the case is, how it unfolds."""

    format: Literal[1]
    id: str
    title: Text
    summary: Text
    source_language: str = "en"
    languages: list[str] = ["en"]
    countries: list[str] = []
    timezone: str = "Europe/Belgrade"
    # Value of one unit of each currency in euro, for totals across currencies.
    currency_rates: dict[str, Decimal] = {}
    # Cash-transaction reporting threshold in euro: many payments just under it are flagged.
    reporting_threshold_eur: Decimal | None = Field(default=None, gt=0)
    learning_objectives: list[Text] = Field(min_length=1)
    phases: list[Phase] = Field(min_length=1)

    _id = field_validator("id")(_check_id)

    @field_validator("languages")
    @classmethod
    def _langs(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _LANG.match(value):
                raise ValueError(f"{value!r} is not a language tag like en, sq, mk or sr-Latn")
        return values

    @field_validator("countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        for value in values:
            Person._country.__func__(cls, value)
        return values

    @field_validator("currency_rates")
    @classmethod
    def _rates(cls, values: dict[str, Decimal]) -> dict[str, Decimal]:
        for code, rate in values.items():
            if not _CURRENCY.match(code):
                raise ValueError(f"{code!r} is not a three-letter currency code like USD")
            if rate <= 0:
                raise ValueError(f"the rate of {code} must be above 0")
        return values

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone like Europe/Skopje") from None
        return value

    @model_validator(mode="after")
    def _phases_in_order(self) -> CaseMeta:
        numbers = [p.number for p in self.phases]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"phases must be numbered 1, 2, 3... in order, found {numbers}")
        if self.source_language not in self.languages:
            raise ValueError(f"source_language {self.source_language!r} is not in languages")
        return self


class DocumentMeta(_Yaml):
    """The front matter of a document in documents/*.md."""

    id: str
    title: Text
    kind: Literal[
        "statement",
        "police_report",
        "extraction_report",
        "bank_response",
        "cdr_summary",
        "intercept",
        "court_record",
        "open_source",
        "other",
    ]
    phase: int = Field(ge=1)
    date: dt.date | None = None
    language: str | None = None
    mentions: list[str] = []

    _id = field_validator("id")(_check_id)


class RoleAnswer(_Yaml):
    """The role a person really had, and from which phase the evidence proves it."""

    entity: str
    role: Literal[ROLES]  # type: ignore[valid-type]
    phase: int = Field(ge=1)
    explanation: Text
    evidence: list[str] = []


class BrokerCheck(_Yaml):
    """The person is top by betweenness, but not by degree, in who-talks-to-whom."""

    kind: Literal["broker"]
    entity: str


class SamePersonCheck(_Yaml):
    """Two phone lines share a handset (IMEI) or a SIM card: one user behind both."""

    kind: Literal["same_person"]
    entities: list[str] = Field(min_length=2, max_length=2)


class BenefitCheck(_Yaml):
    """The payments received by a person (or on accounts it holds) add up to ``amount``."""

    kind: Literal["benefit"]
    entity: str
    amount: Decimal = Field(gt=0)
    currency: str
    channels: list[str] = []


class MinorCheck(_Yaml):
    """The evidence shows the person to be under 18."""

    kind: Literal["minor"]
    entity: str


class ReplacementCheck(_Yaml):
    """After ``arrested`` is arrested, ``successor`` is top by betweenness in what follows."""

    kind: Literal["replacement"]
    arrested: str
    successor: str


Check = Annotated[
    BrokerCheck | SamePersonCheck | BenefitCheck | MinorCheck | ReplacementCheck,
    Field(discriminator="kind"),
]


class Finding(_Yaml):
    """A key finding participants should reach, with the evidence that proves it.

    ``check`` (optional) lets the solvability tests compute the finding from the released
    evidence: it must hold from the finding's phase on, and not before.
    """

    id: str
    title: Text
    text: Text
    phase: int = Field(ge=1)
    evidence: list[str] = Field(min_length=1)
    topic: Literal[
        "structure",
        "benefit",
        "aggravation",
        "protection",
        "trafficking",
        "documents",
        "dynamics",
        "evidence",
        "other",
    ] = "other"
    check: Check | None = None

    _id = field_validator("id")(_check_id)


class Answers(_Yaml):
    """The answers.yml file: model answers for the trainer, never shown to participants."""

    roles: list[RoleAnswer] = []
    findings: list[Finding] = []
    # The code the trainer reads out to release each phase, by phase number; case.yml keeps
    # only its hash (``unlock_sha256``), which the loader checks against it.
    phase_codes: dict[int, str] = {}
