"""Numbers, amounts, dates and the values of the case's vocabularies follow the language chosen.

The catalogs of sq, mk and sr-Latn are still being translated: these tests never expect a
particular translation, only the one the catalog has (``translations_for(lang).gettext``) or the
formats of the language (Babel's, through :mod:`widgets.i18n`).
"""

import datetime as dt
import re

import pandas as pd
import pytest

from widgets import CommunicationsTrail, MoneyTrail, RouteMap, labels, load_case
from widgets.chart import figure_dict
from widgets.conclusions import describe
from widgets.dossier import dossier_html
from widgets.evidence import evidence_rows, format_time, format_times
from widgets.i18n import (
    format_date,
    format_datetime,
    format_number,
    number_separators,
    set_language,
    translations_for,
)
from widgets.mapfig import map_figure
from widgets.money import payments_eur
from widgets.money_trail import format_amount, format_eur, sankey_figure, timeline_figure

LANGUAGES = ["en", "sr-Latn", "sq", "mk"]
#: English month names, as plotly.js would write them on a date axis.
MONTHS = re.compile(r"%b|%B")


@pytest.fixture
def language():
    """Set a language for the test; English again afterwards, whatever happens."""
    try:
        yield set_language
    finally:
        set_language("en")


@pytest.fixture(scope="module")
def demo():
    return load_case("demo")


def _payment_text(case, language_tag: str, set_lang) -> str:
    set_lang(language_tag)
    rows = evidence_rows(case)
    texts = rows.loc[rows["table"] == "payments", "text"].tolist()
    return next(t for t in texts if "2" in t and "300" in t and "EUR" in t)


def test_payment_amounts_use_the_languages_decimal_mark(demo, language):
    english = _payment_text(demo, "en", language)
    assert "2,300.00 EUR" in english
    macedonian = _payment_text(demo, "mk", language)
    assert "2.300,00 EUR" in macedonian and "2,300.00" not in macedonian


def test_english_evidence_sentences_stay_as_they_were(demo, language):
    language("en")
    rows = evidence_rows(demo).set_index("id")["text"]
    assert rows["T2"].startswith("Trip (vehicle) from Gevgelija border area")
    assert "by money transfer" in rows["PAY5"]


@pytest.mark.parametrize("lang", ["sr-Latn", "sq", "mk"])
def test_evidence_sentences_show_no_raw_schema_value(demo, language, lang):
    language(lang)
    text = "\n".join(evidence_rows(demo)["text"])
    for raw in ("money_transfer", "mobile_wallet", "border_detection", "member_of", "stays_at"):
        assert raw not in text
    catalog = translations_for(lang)
    rows = evidence_rows(demo).set_index("id")["text"]
    assert catalog.gettext("Money transfer").lower() in rows["PAY5"].lower()
    assert f"({catalog.gettext('vehicle')})" in rows["T2"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_times_follow_the_language(language, lang):
    language(lang)
    when = pd.Timestamp("2024-05-14 03:40:10")
    written = format_time(when)
    if lang == "en":
        assert written == "2024-05-14 03:40"
    else:
        assert written == format_datetime(dt.datetime(2024, 5, 14, 3, 40), language=lang)
        assert "2024-05-14" not in written
    times = pd.Series([when, pd.NaT, when])
    assert format_times(times) == [written, "", written]


def test_amount_helpers_of_the_money_trail(language):
    language("en")
    assert (format_eur(12500.4), format_amount(4090.5, "MKD")) == ("EUR 12,500", "MKD 4,090.50")
    language("mk")
    assert format_eur(12500.4).endswith("12.500")
    assert format_amount(4090.5, "MKD") == "MKD 4.090,50"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_money_figures_use_the_languages_separators(demo, language, lang):
    language(lang)
    pay = payments_eur(demo)
    timeline = timeline_figure(pay)
    assert timeline["layout"]["separators"] == number_separators(lang)
    axis = timeline["layout"]["xaxis"]
    hovers = "".join(t["hovertemplate"] for t in timeline["data"])
    if lang == "en":
        assert "tickformatstops" not in axis
    else:
        stops = [s["value"] for s in axis["tickformatstops"]]
        assert stops and not any(MONTHS.search(v) for v in stops)
        assert "%Y-%m-%d" not in hovers and not MONTHS.search(hovers)
    flows = MoneyTrail(demo).shown.flows
    sankey, _info = sankey_figure(flows, {}, None, 10)
    assert sankey["layout"]["separators"] == number_separators(lang)


def test_figures_of_the_widgets_in_albanian(demo, language):
    language("sq")
    wanted = number_separators("sq")
    assert wanted == number_separators()
    released = demo.released(2)
    route = RouteMap(released)
    trail = CommunicationsTrail(released)
    money = MoneyTrail(released)
    charts = [route.map, route.timeline, trail.timeline, trail.activity, money.timeline]
    for chart in charts:
        if chart.figure:
            assert chart.figure["layout"]["separators"] == wanted
    for chart in (route.timeline, trail.timeline, money.timeline):
        axis = chart.figure["layout"]["xaxis"]
        assert axis["type"] == "date" and axis["tickformatstops"]
    assert map_figure((20.0, 40.0, 23.0, 43.0))["layout"]["separators"] == wanted
    assert figure_dict({"data": []})["layout"]["separators"] == wanted
    # A figure that sets its own separators keeps them.
    assert figure_dict({"layout": {"separators": ".,"}})["layout"]["separators"] == ".,"


def test_dates_and_kinds_in_the_citations(demo, language):
    language("en")
    assert describe(demo, "D-POL")["text"].endswith("(police report, 14 May 2024)")
    language("mk")
    text = describe(demo, "D-POL")["text"]
    catalog = translations_for("mk")
    assert format_date(dt.date(2024, 5, 14), language="mk") in text
    assert labels.lower_first(catalog.gettext("Police report")) in text


def test_dossier_writes_labels_not_field_names(demo, language):
    language("en")
    place = demo.locations.iloc[0]
    out = dossier_html(demo, place["id"])
    assert "Latitude" in out and "Kind" in out
    assert f">{labels.location_kind_label(place['kind'])}<" in out
    language("mk")
    out = dossier_html(demo, place["id"])
    catalog = translations_for("mk")
    assert catalog.gettext("Latitude") in out
    assert repr(float(place["lat"])).replace(".", ",") in out


# labels --------------------------------------------------------------------------------------
#: (function, schema value, the English message its label is translated from)
LABELS = [
    (labels.channel_label, "money_transfer", "Money transfer"),
    (labels.channel_label, "hawala", "Hawala"),
    (labels.mode_label, "foot", "on foot"),
    (labels.detection_label, "border_detection", "Seen at the border"),
    (labels.location_kind_label, "safe_house", "Safe house"),
    (labels.entity_type_label, "phone", "Phone line"),
    (labels.event_label, "trips", "Journeys"),
    (labels.document_kind_label, "police_report", "Police report"),
    (labels.status_label, "suspect", "suspect"),
    (labels.role_label, "safe_house_keeper", "safe-house keeper"),
    (labels.relation_label, "member_of", "is a member of"),
    (labels.communication_kind_label, "call", "call"),
    (labels.vehicle_kind_label, "van", "van"),
    (labels.organisation_kind_label, "exchange_office", "exchange office"),
    (labels.gender_label, "female", "female"),
    (labels.field_label, "age_stated", "Age stated"),
    (labels.sufficiency_label, "not_yet", "not yet"),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("label", "value", "msgid"), LABELS)
def test_labels_are_the_catalogs_translation(language, lang, label, value, msgid):
    language(lang)
    assert label(value) == translations_for(lang).gettext(msgid)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_value_reads_as_itself(language, lang):
    language(lang)
    assert labels.channel_label("crypto_wallet") == "crypto wallet"
    assert labels.detection_label("drone_sighting") == "drone sighting"
    assert labels.entity_kind_label("phone", "burner_phone") == "burner phone"


def test_the_widgets_label_dicts_come_from_the_labels(language):
    from widgets import money_trail, network_explorer, route_map
    from widgets.conclusions_format import role_labels

    language("mk")
    assert money_trail._channel_labels()["money_transfer"] == labels.channel_label("money_transfer")
    assert route_map._mode_labels()["foot"] == labels.mode_label("foot")
    assert route_map._detection_labels()["arrest"] == labels.detection_label("arrest")
    assert route_map._kind_labels()["safe_house"] == labels.location_kind_label("safe_house")
    assert network_explorer._type_labels()["phone"] == labels.entity_type_label("phone")
    assert network_explorer._event_labels()["trips"] == labels.event_label("trips")
    assert role_labels()["walker"] == labels.role_label("walker")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_counts_in_texts_use_the_languages_grouping(language, lang):
    from widgets.route_map import _legs_text

    language(lang)
    assert format_number(12500) in _legs_text(12500)
    assert format_number(12500, language=lang) == format_number(12500)
