"""The words participants read for the values of the case's vocabularies, in their language.

The case files hold fixed English values (``money_transfer``, ``border_detection``,
``safe_house``: see :mod:`widgets.schema`). A widget never shows such a value as it is: it
shows the label one of these functions returns, translated by the catalogs. A value a
vocabulary does not know (a newer case) reads as itself, ``_`` written as a space.

Examples
--------
>>> from widgets.i18n import set_language
>>> _ = set_language("en")
>>> channel_label("money_transfer"), mode_label("foot"), detection_label("new_kind")
('Money transfer', 'on foot', 'new kind')
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import _, get_language, pgettext

__all__ = [
    "channel_label",
    "mode_label",
    "detection_label",
    "location_kind_label",
    "entity_type_label",
    "event_label",
    "document_kind_label",
    "status_label",
    "role_label",
    "sufficiency_label",
    "relation_label",
    "communication_kind_label",
    "vehicle_kind_label",
    "organisation_kind_label",
    "gender_label",
    "field_label",
    "entity_kind_label",
    "lower_first",
]


def _fallback(value) -> str:
    return str(value).replace("_", " ")


# The labels of each vocabulary, by language: evidence sentences ask once per row.
_BUILT: dict[tuple[Callable[[], dict[str, str]], str], dict[str, str]] = {}


def _label(labels: Callable[[], dict[str, str]], value) -> str:
    key = (labels, get_language())
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = labels()
    text = built.get(value) if isinstance(value, str) else None
    return text if text is not None else _fallback(value)


def lower_first(text: str) -> str:
    """Return a label as it reads inside a sentence: its first letter in lower case.

    Examples
    --------
    >>> lower_first("Money transfer"), lower_first("")
    ('money transfer', '')
    """
    return text[:1].lower() + text[1:]


# payments and accounts -------------------------------------------------------------------
def _channels() -> dict[str, str]:
    return {
        "hawala": _("Hawala"),
        "money_transfer": _("Money transfer"),
        "bank": _("Bank"),
        "cash": _("Cash"),
        "mobile_wallet": _("Mobile wallet"),
        "other": _("Other"),
    }


def channel_label(value: str) -> str:
    """Return how a payment channel (or the kind of an account) reads: ``Money transfer``.

    Examples
    --------
    >>> channel_label("hawala"), channel_label("crypto_wallet")
    ('Hawala', 'crypto wallet')
    """
    return _label(_channels, value)


# trips, places, detections ---------------------------------------------------------------
def _modes() -> dict[str, str]:
    return {
        "vehicle": _("vehicle"),
        "foot": _("on foot"),
        "boat": _("boat"),
        "train": _("train"),
        "bus": _("bus"),
        "taxi": _("taxi"),
        "other": _("other"),
    }


def mode_label(value: str) -> str:
    """Return how the mode of a trip reads inside a sentence: ``on foot``."""
    return _label(_modes, value)


def _location_kinds() -> dict[str, str]:
    return {
        "border_crossing": _("Border crossing"),
        "river_crossing": _("River crossing"),
        "safe_house": _("Safe house"),
        "meeting_point": _("Meeting point"),
        "reception_centre": _("Reception centre"),
        "police_station": _("Police station"),
        "city": _("Town or city"),
        "address": _("Address"),
        "other": _("Other place"),
        "cell_site": _("Cell site"),
    }


def location_kind_label(value: str) -> str:
    """Return what a kind of place is called: ``Safe house``."""
    return _label(_location_kinds, value)


def _detections() -> dict[str, str]:
    return {
        "pushback": _("Pushback"),
        "interception": _("Interception"),
        "border_detection": _("Seen at the border"),
        "arrest": pgettext("detection", "Arrest"),
        "registration": _("Registration"),
        "search": pgettext("detection", "Search"),
        "other": _("Other detection"),
    }


def detection_label(value: str) -> str:
    """Return what a kind of detection is called: ``Interception``.

    Examples
    --------
    >>> detection_label("border_detection")
    'Seen at the border'
    """
    return _label(_detections, value)


def _vehicle_kinds() -> dict[str, str]:
    return {
        "car": _("car"),
        "van": _("van"),
        "truck": _("truck"),
        "bus": _("bus"),
        "boat": _("boat"),
        "other": _("other"),
    }


def vehicle_kind_label(value: str) -> str:
    """Return what a kind of vehicle is called inside a sentence: ``van``."""
    return _label(_vehicle_kinds, value)


# entities and the network ------------------------------------------------------------------
def _organisation_kinds() -> dict[str, str]:
    return {
        "company": _("company"),
        "money_transfer_shop": _("money-transfer shop"),
        "exchange_office": _("exchange office"),
        "travel_agency": _("travel agency"),
        "ngo": _("civil-society organisation"),
        "authority": _("authority"),
        "other": _("other"),
    }


def organisation_kind_label(value: str) -> str:
    """Return what a kind of organisation is called inside a sentence: ``exchange office``."""
    return _label(_organisation_kinds, value)


def _genders() -> dict[str, str]:
    return {"female": _("female"), "male": _("male"), "other": _("other"), "unknown": _("unknown")}


def gender_label(value: str) -> str:
    """Return how the gender of a person reads: ``female``."""
    return _label(_genders, value)


def entity_kind_label(entity_type: str, value: str) -> str:
    """Return the ``kind`` of an entity of a type (organisation, account, vehicle, place).

    Examples
    --------
    >>> entity_kind_label("account", "hawala"), entity_kind_label("location", "safe_house")
    ('Hawala', 'Safe house')
    """
    label = {
        "organisation": organisation_kind_label,
        "account": channel_label,
        "vehicle": vehicle_kind_label,
        "location": location_kind_label,
    }.get(entity_type)
    return label(value) if label is not None else _fallback(value)


def _fields() -> dict[str, str]:
    return {
        "name": _("Name"),
        "alias": _("Alias"),
        "status": _("Status"),
        "gender": _("Gender"),
        "birth_year": _("Year of birth"),
        "age_stated": _("Age stated"),
        "nationality": _("Nationality"),
        "kind": _("Kind"),
        "country": _("Country"),
        "number": _("Number"),
        "sim": _("SIM card"),
        "imei": _("Handset (IMEI)"),
        "identifier": _("Identifier"),
        "institution": _("Institution"),
        "currency": _("Currency"),
        "plate": _("Plate"),
        "make": _("Make"),
        "model": _("Model"),
        "colour": _("Colour"),
        "lat": _("Latitude"),
        "lon": _("Longitude"),
    }


def field_label(value: str) -> str:
    """Return the name of an attribute of an entity, as a dossier lists it: ``Age stated``.

    Examples
    --------
    >>> field_label("age_stated"), field_label("new_field")
    ('Age stated', 'New field')
    """
    text = _fields().get(value)
    return text if text is not None else _fallback(value).capitalize()


def _entity_types() -> dict[str, str]:
    return {
        "person": _("Person"),
        "migrant": _("Migrant (witness, victim)"),
        "group": _("Group of migrants"),
        "organisation": _("Organisation"),
        "phone": _("Phone line"),
        "account": _("Account"),
        "vehicle": _("Vehicle"),
        "location": _("Place"),
    }


def entity_type_label(value: str) -> str:
    """Return what a type of entity (a node of the network) is called: ``Phone line``."""
    return _label(_entity_types, value)


def _events() -> dict[str, str]:
    return {
        "calls": _("Calls"),
        "messages": _("Messages"),
        "payments": _("Payments"),
        "trips": _("Journeys"),
        "associations": _("Relations"),
    }


def event_label(value: str) -> str:
    """Return what a kind of tie in the network is called: ``Journeys`` for ``trips``."""
    return _label(_events, value)


def _statuses() -> dict[str, str]:
    return {
        "migrant": _("migrant: a witness, and a victim of the smuggling"),
        "suspect": _("suspect"),
        "witness": _("witness"),
        "official": _("official"),
        "other": _("other"),
    }


def status_label(value: str) -> str:
    """Return how the status of a person in the case reads: ``suspect``.

    Examples
    --------
    >>> status_label("suspect")
    'suspect'
    """
    return _label(_statuses, value)


def _relations() -> dict[str, str]:
    return {
        "uses": _("uses"),
        "owns": _("owns"),
        "associate": _("is an associate of"),
        "family": _("is a relative of"),
        "member_of": _("is a member of"),
        "employed_by": _("is employed by"),
        "stays_at": _("stays at"),
    }


def relation_label(value: str) -> str:
    """Return the verb of a lasting relation (a link), as in "A *uses* B".

    Examples
    --------
    >>> relation_label("member_of")
    'is a member of'
    """
    return _label(_relations, value)


def _communication_kinds() -> dict[str, str]:
    return {"call": _("call"), "message": _("message")}


def communication_kind_label(value: str) -> str:
    """Return what a kind of communication is called inside a sentence: ``call``."""
    return _label(_communication_kinds, value)


# documents and conclusions -----------------------------------------------------------------
def _document_kinds() -> dict[str, str]:
    return {
        "statement": _("Statement"),
        "police_report": _("Police report"),
        "extraction_report": _("Phone extraction"),
        "bank_response": _("Financial information"),
        "cdr_summary": _("Call records"),
        "intercept": _("Intercept"),
        "court_record": _("Court record"),
        "open_source": _("Open source"),
        "other": _("Document"),
    }


def document_kind_label(value: str) -> str:
    """Return what a kind of document is called: ``Police report``."""
    return _label(_document_kinds, value)


def _roles() -> dict[str, str]:
    return {
        "organiser": _("organiser"),
        "recruiter": _("recruiter"),
        "driver": _("driver"),
        "walker": _("guide on foot (walker)"),
        "safe_house_keeper": _("safe-house keeper"),
        "money_holder": _("money holder"),
        "forger": _("forger"),
        "official": _("corrupt official"),
        "migrant": _("smuggled migrant (witness, victim)"),
        "witness": _("witness"),
        "other": _("other"),
    }


def role_label(value: str) -> str:
    """Return a role a team can give a person: ``safe-house keeper``."""
    return _label(_roles, value)


def _sufficiency() -> dict[str, str]:
    return {"yes": _("yes"), "no": _("no"), "not_yet": _("not yet"), "": _("not answered")}


def sufficiency_label(value: str) -> str:
    """Return a team's answer to "Is the evidence sufficient?": ``not yet``, ``not answered``.

    Examples
    --------
    >>> sufficiency_label("not_yet"), sufficiency_label("")
    ('not yet', 'not answered')
    """
    return _label(_sufficiency, value or "")
