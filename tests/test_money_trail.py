"""The money trail without a browser: filters, period, focus, Sankey clicks, empty states."""

import time

import pandas as pd
import pytest
import traitlets

from widgets import MoneyTrail, link_selection, load_case
from widgets.case import Case
from widgets.money_trail import format_amount, format_eur, sankey_figure, timeline_figure


@pytest.fixture
def demo():
    return MoneyTrail(load_case("demo").released(2))


@pytest.fixture(scope="module")
def corridor_case():
    return load_case("corridor")


class View(traitlets.HasTraits):
    """Another view of the page, as link_selection sees it."""

    selected = traitlets.Unicode(None, allow_none=True)


def node_index(trail, entity):
    return trail.shown.sankey["nodes"].index(entity)


def test_none_case_says_so():
    trail = MoneyTrail(None)
    assert "nothing to show" in trail.children[0].value
    assert "casebook-ready" in trail._dom_classes and "casebook-money" in trail._dom_classes


def test_demo_known_answers(demo):
    assert "casebook-ready" in demo._dom_classes and "casebook-money" in demo._dom_classes
    assert demo.phase.value == 2 and [v for _, v in demo.phase.options] == [1, 2]
    assert list(demo.channels) == ["money_transfer", "hawala", "bank"]
    assert list(demo.currencies) == ["EUR", "MKD", "USD"]
    shown = demo.shown
    assert sorted(shown.payments["id"]) == ["PAY1", "PAY2", "PAY3", "PAY4", "PAY5", "PAY6"]
    assert shown.totals.loc["P-ORG", ["received_eur", "paid_eur", "net_eur"]].tolist() == (
        pytest.approx([8510, 300, 8210])
    )
    assert list(shown.who_profits.index[:2]) == ["P-ORG", "P-DRV"]
    assert list(shown.guarantees["release_id"]) == ["PAY2", "PAY3", "PAY4"]
    assert "Showing the whole period, 2024-05-03 10:12 to 2024-05-12 15:30: 6 payments of 6, " in (
        demo.range_text.value
    )
    assert "EUR 11,632" in demo.range_text.value  # 2,300 + 2,300 + 3,450 + 2,760 + 300 + 521.6
    # the flows table by channel and currency: original amounts and EUR
    assert "USD 2,500" in demo.flow_table.value and "EUR 2,300" in demo.flow_table.value
    assert "MKD 32,000" in demo.flow_table.value and "EUR 522" in demo.flow_table.value
    # names, never ids, on the Sankey; each node carries its id for a click
    node = demo.sankey.figure["data"][0]["node"]
    assert "Besnik Marku" in node["label"] and "P-ORG" not in node["label"]
    assert node["customdata"][node["label"].index("Besnik Marku")] == "P-ORG"
    assert demo.sankey.figure["data"][0]["type"] == "sankey"
    # the timeline is a time brush, by channel, in Okabe-Ito colours
    layout = demo.timeline.figure["layout"]
    assert (layout["dragmode"], layout["selectdirection"]) == ("select", "h")
    colours = {t["name"]: t["marker"]["color"] for t in demo.timeline.figure["data"]}
    assert colours == {"Money transfer": "#0072B2", "Hawala": "#E69F00", "Bank": "#009E73"}
    # the structuring check says which threshold it uses, and finds nothing here
    assert "Reporting threshold declared in the case: EUR 1,000" in demo.totals_view.value
    assert "No payment just under the threshold" in demo.totals_view.value


def test_time_range_changes_every_view(demo):
    demo.set_time_range("2024-05-08", "2024-05-03")  # reversed: swapped
    assert demo.time_range == (pd.Timestamp("2024-05-03"), pd.Timestamp("2024-05-08"))
    shown = demo.shown
    assert sorted(shown.payments["id"]) == ["PAY2", "PAY3", "PAY6"]
    assert shown.totals.loc["P-ORG", "received_eur"] == pytest.approx(5750)
    assert "P-FAM" not in shown.totals.index
    flows = shown.flows.set_index(["source", "target"])
    assert flows.loc[("AC-HAW", "P-ORG"), "count"] == 2
    assert list(shown.guarantees["release_id"]) == ["PAY2", "PAY3"]
    assert "Showing 2024-05-03 00:00 to 2024-05-08 00:00: 3 payments of 6, EUR 6,272." in (
        demo.range_text.value
    )
    assert demo.reset.layout.display is None  # the reset button shows
    # a drag on the timeline does the same through the chart's brush
    demo.timeline.brush = ["2024-05-11 00:00", "2024-05-12 12:00"]
    assert sorted(demo.shown.payments["id"]) == ["PAY1", "PAY4"]
    assert demo.shown.totals.loc["P-ORG", "received_eur"] == pytest.approx(2760)
    assert demo.timeline.figure["layout"]["shapes"][0]["x0"].startswith("2024-05-11")
    demo.reset.click()
    assert demo.time_range == (None, None) and demo.timeline.brush == []
    assert len(demo.shown.payments) == 6
    assert demo.reset.layout.display == "none"


def test_empty_period_is_a_sentence(demo):
    demo.selected = "P-ORG"
    demo.set_time_range("2024-06-01", "2024-06-30")
    assert demo.shown.payments.empty and demo.shown.totals.empty and demo.shown.benefit is None
    assert demo.sankey.layout.display == "none"
    assert "No payment in the chosen period" in demo.sankey_note.value
    for view in (demo.totals_view, demo.guarantee_view, demo.benefit_view):
        assert "No payment in the chosen period" in view.value
    assert "Traceback" not in demo.benefit_view.value
    demo.set_time_range(None, None)
    assert demo.sankey.layout.display is None and demo.shown.benefit["total_eur"] == 8510


def test_phase_change(demo):
    demo.phase.value = 1
    assert list(demo.shown.payments["id"]) == ["PAY1"]  # only the family's deposit
    assert demo.shown.totals.loc["P-FAM", "paid_eur"] == pytest.approx(2300)
    assert "P-ORG" not in {v for _, v in demo.chooser.options}
    assert "Besnik Marku" not in demo.sankey.figure["data"][0]["node"]["label"]
    demo.phase.value = 2
    assert len(demo.shown.payments) == 6


def test_channel_and_currency_filters(demo):
    demo.channels["money_transfer"].value = False
    assert sorted(demo.shown.payments["id"]) == ["PAY1", "PAY6"]
    assert "P-ORG" not in demo.shown.totals.index
    assert set(demo.shown.flows["channel"]) == {"hawala", "bank"}
    assert [t["name"] for t in demo.timeline.figure["data"]] == ["Hawala", "Bank"]
    # a guarantee stays while one of its payments is shown: here the hawala deposit
    assert list(demo.shown.guarantees["deposit_id"]) == ["PAY1"]
    demo.channels["hawala"].value = False
    assert demo.shown.guarantees.empty
    assert "No guarantee payment" in demo.guarantee_view.value
    demo.channels["hawala"].value = True
    demo.channels["money_transfer"].value = True
    demo.currencies["EUR"].value = False
    assert sorted(demo.shown.payments["id"]) == ["PAY1", "PAY6"]
    demo.currencies["USD"].value = False
    assert list(demo.shown.payments["id"]) == ["PAY6"]
    demo.currencies["MKD"].value = False
    assert demo.shown.payments.empty
    assert demo.timeline.layout.display == "none"
    assert "No channel or no currency is chosen" in demo.timeline_note.value


def test_selected_from_another_view(demo):
    other = View()
    link_selection(other, demo)
    other.selected = "AC-ORG"  # an account: its holder
    assert demo.selected == "AC-ORG" and demo.focus == "P-ORG"
    assert demo.chooser.value == "P-ORG"
    assert "Besnik Marku: received EUR 8,510, paid EUR 300, net EUR 8,210." in (
        demo.focus_text.value
    )
    benefit = demo.shown.benefit
    assert list(benefit["payments"]["id"]) == ["PAY2", "PAY3", "PAY4"]
    assert benefit["total_eur"] == pytest.approx(8510)
    view = demo.benefit_view.value
    assert "Financial benefit: Besnik Marku" in view and "PAY4" in view and "D-MTO" in view
    assert "source reliable; information known personally to the source" in view
    assert "released after “They sent OK. Money comes tomorrow, you get yours.”" in view
    # the Sankey draws his node dark and his flows strong
    node = demo.sankey.figure["data"][0]["node"]
    assert node["color"][node_index(demo, "P-ORG")] == "#000000"
    other.selected = "PH-ORG2"  # his second phone
    assert demo.focus == "P-ORG"
    other.selected = "nobody"  # unknown: ignored quietly
    assert demo.focus == "P-ORG" and demo.selected == "nobody"
    other.selected = "P-M2"  # a migrant: said to be a victim, not a suspect
    assert demo.focus == "P-M2"
    assert "witness and a victim" in demo.focus_text.value
    assert "no payment to or from them" in demo.focus_text.value
    assert "Hamid Sultani received no payment" in demo.benefit_view.value
    other.selected = None
    assert demo.focus is None and demo.chooser.value == ""
    assert "Choose who is in focus" in demo.benefit_view.value


def test_sankey_click_and_chooser_set_selected(demo):
    i = node_index(demo, "P-DRV")
    demo.sankey.clicked = {"curve": 0, "index": i, "customdata": "P-DRV", "n": 1}
    assert demo.selected == "P-DRV" and demo.chooser.value == "P-DRV"
    assert demo.shown.benefit["by_channel"] == pytest.approx({"bank": 521.6, "money_transfer": 300})
    assert "Dragan Kostovski received EUR 822 in 2 payments" in demo.benefit_view.value
    # "Other payers", a link or anything unknown is not a party: nothing changes
    demo.sankey.clicked = {"curve": 0, "index": 0, "customdata": "", "n": 2}
    demo.sankey.clicked = {"curve": 0, "index": 0, "customdata": None, "n": 3}
    assert demo.selected == "P-DRV"
    demo.chooser.value = "P-FAM"
    assert demo.selected == "P-FAM" and demo.focus == "P-FAM"
    assert "Ahmad Noorzai: received EUR 0, paid EUR 2,300" in demo.focus_text.value


def test_structuring_flag_shows_threshold_and_payments():
    case = load_case("demo").released(2)
    extra = pd.DataFrame(
        {
            "id": ["S1", "S2", "S3"],
            "time": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-03"]),
            "payer": ["P-ORG"] * 3,
            "payee": ["P-DRV"] * 3,
            "amount": [950.0, 999.0, 980.0],
            "currency": ["EUR"] * 3,
            "channel": ["cash"] * 3,
            "source": ["D-MTO"] * 3,
            "confidence": ["B2"] * 3,
            "phase": [2] * 3,
        }
    )
    tables = {**case.tables, "payments": pd.concat([case.payments, extra], ignore_index=True)}
    trail = MoneyTrail(Case(case.meta, case.path, tables, answers=None, phase=2))
    found = trail.shown.structuring.set_index("party")
    assert found.loc["P-ORG", "payments"] == ["S1", "S2", "S3"] and found.loc["P-ORG", "flagged"]
    view = trail.totals_view.value
    assert "Reporting threshold declared in the case: EUR 1,000" in view
    assert "⚠ flagged" in view and "EUR 999" in view and "S2" in view
    trail.set_time_range("2024-05-02", None)  # two left: not flagged any more
    assert not trail.shown.structuring.set_index("party").loc["P-ORG", "flagged"]


def test_corridor(corridor_case):
    trail = MoneyTrail(corridor_case)
    assert trail.phase.value == 5 and len(trail.shown.payments) == 256
    assert trail.shown.who_profits.index[0] == "P-BRK"
    assert "27 released, 5 refunded, 0 still held." in trail.guarantee_view.value
    assert "✓ deposit, OK and release match" in trail.guarantee_view.value
    labels = trail.sankey.figure["data"][0]["node"]["label"]
    assert "Selim Bajrami" in labels and "Other recipients" in labels
    assert "Sarrafi Pamir (Kabul) (money back)" in labels  # the refund, not a loop
    assert "The 20 largest flows are drawn" in trail.sankey_note.value
    trail.selected = "P-BRK"
    benefit = trail.shown.benefit
    assert benefit["total_eur"] == pytest.approx(384_650)  # releases 383,400 and the rent
    assert benefit["by_channel"]["hawala"] == pytest.approx(179_400)
    assert "27 of them are guarantees released after an “OK” message (EUR 383,400)" in (
        trail.benefit_view.value
    )
    assert "with every flow of the party in focus" in trail.sankey_note.value
    # a month: fewer payments, the broker's totals of that month
    trail.set_time_range("2024-03-01", "2024-03-31 23:59")
    march = trail.shown.payments
    assert 0 < len(march) < 256 and march["time"].dt.month.eq(3).all()
    his = march["payee"].eq("P-BRK") | march["payee_account"].isin(
        ["AC-BRK-MTO", "AC-BRK-HWL", "AC-BRK-BANK"]
    )
    received = trail.shown.totals.loc["P-BRK", "received_eur"]
    assert received == pytest.approx(march.loc[his, "eur"].sum())
    # phase 3: only the van's four deposits, before any ledger is released
    trail.set_time_range(None, None)
    trail.phase.value = 3
    assert len(trail.shown.payments) == 4 and trail.shown.benefit is not None
    assert "No guarantee payment" in trail.guarantee_view.value


def test_corridor_updates_are_quick(corridor_case):
    trail = MoneyTrail(corridor_case)
    for change in (
        lambda: setattr(trail.phase, "value", 4),
        lambda: trail.set_time_range("2024-04-01", "2024-04-08"),
        lambda: setattr(trail.channels["hawala"], "value", False),
        lambda: setattr(trail, "selected", "P-BRK"),
        lambda: trail.set_time_range(None, None),
    ):
        start = time.perf_counter()
        change()
        assert time.perf_counter() - start < 1.0


def test_formats_and_figures():
    assert format_eur(1234.4) == "EUR 1,234" and format_eur(float("nan")) == "no rate"
    assert format_amount(32000, "MKD") == "MKD 32,000"
    assert format_amount(0.5, "EUR") == "EUR 0.50"
    assert timeline_figure(pd.DataFrame(columns=["time", "channel", "eur"]))["data"] == []
    flows = pd.DataFrame(
        {
            "source": ["A", "B", "C", "A"],
            "target": ["B", "A", "D", "D"],
            "channel": ["hawala", "hawala", "cash", "bank"],
            "count": [1, 1, 2, 1],
            "total_eur": [100.0, 90.0, 5.0, float("nan")],
        }
    )
    fig, info = sankey_figure(flows, {"A": "Anna", "B": "Bora", "D": "Dea"}, top=2)
    node = fig["data"][0]["node"]
    assert node["label"] == [
        "Anna",
        "Bora",
        "Other payers",
        "Anna (money back)",
        "Other recipients",
    ]
    assert node["customdata"] == ["A", "B", "", "A", ""]
    assert info == {
        "flows": 2,
        "top": 2,
        "grouped": 1,
        "grouped_eur": 5.0,
        "unconverted": 1,
        "nodes": ["A", "B", "__other_payers__", "A~back", "__other_recipients__"],
    }


def test_a_case_without_payments_says_so():
    case = load_case("demo")
    tables = {**case.tables, "payments": case.payments.iloc[0:0]}
    trail = MoneyTrail(Case(case.meta, case.path, tables, answers=None, phase=2))
    assert trail.channels == {} and trail.timeline.layout.display == "none"
    for view in (trail.timeline_note, trail.sankey_note, trail.totals_view, trail.guarantee_view):
        assert "There are no payments in the evidence released so far." in view.value
    trail.selected = "P-ORG"
    assert "Besnik Marku: no payment to or from them" in trail.focus_text.value
