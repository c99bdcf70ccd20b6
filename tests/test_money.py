import math
import time

import pandas as pd
import pytest

from widgets import load_case
from widgets.case import Case
from widgets.money import (
    benefit_summary,
    flows,
    guarantees,
    payments_eur,
    structuring,
    to_eur,
    totals,
    who_profits,
)


@pytest.fixture(scope="module")
def demo():
    return load_case("demo").released(2)


@pytest.fixture(scope="module")
def corridor():
    return load_case("corridor")


def with_payments(case, payments, **meta):
    tables = {**case.tables, "payments": payments}
    return Case(case.meta.model_copy(update=meta), case.path, tables, answers=None)


def test_eur_conversion(demo):
    assert to_eur(demo, 2500, "USD") == pytest.approx(2300.0)
    assert to_eur(demo, 32000, "MKD") == pytest.approx(521.6)
    assert math.isnan(to_eur(demo, 5, "GBP"))
    eur = payments_eur(demo).set_index("id")["eur"]
    assert eur.to_dict() == pytest.approx(
        {"PAY1": 2300, "PAY2": 2300, "PAY3": 3450, "PAY4": 2760, "PAY5": 300, "PAY6": 521.6}
    )


def test_unknown_currency_is_nan_not_error(demo):
    pay = demo.payments.copy()
    pay.loc[pay["id"] == "PAY5", "currency"] = "XYZ"
    case = with_payments(demo, pay)
    assert math.isnan(payments_eur(case).set_index("id").loc["PAY5", "eur"])
    assert totals(case).loc["P-DRV", "received_eur"] == pytest.approx(521.6)
    assert benefit_summary(case, "P-DRV")["unconverted"] == ["PAY5"]


def test_flows(demo):
    f = flows(demo).set_index(["source", "target", "channel"])
    assert f.loc[("AC-HAW", "P-ORG", "money_transfer"), "count"] == 3
    assert f.loc[("AC-HAW", "P-ORG", "money_transfer"), "total_eur"] == pytest.approx(8510)
    assert f.loc[("P-FAM", "AC-HAW", "hawala"), "total_eur"] == pytest.approx(2300)
    assert f.loc[("P-ORG", "P-DRV", "money_transfer"), "total_eur"] == pytest.approx(300)
    assert f.loc[("O-EMP", "P-DRV", "bank"), "total_eur"] == pytest.approx(521.6)
    accounts = flows(demo, by="account").set_index(["source", "target"])
    assert ("AC-HAW", "AC-ORG") in accounts.index and ("AC-ORG", "P-DRV") in accounts.index
    with pytest.raises(ValueError):
        flows(demo, by="nope")


def test_guarantees_demo(demo):
    g = guarantees(demo)
    assert list(g["release_id"]) == ["PAY2", "PAY3", "PAY4"]  # PAY5: the holder paying out
    assert g["ok_id"].fillna("-").tolist() == ["-", "C07", "C11"]
    assert g["deposit_id"].fillna("-").tolist() == ["-", "-", "PAY1"]
    last = g.iloc[-1]
    assert last["deposit_time"] == pd.Timestamp("2024-05-11 11:00")
    assert last["ok_time"] == pd.Timestamp("2024-05-11 09:30")
    assert last["release_time"] == pd.Timestamp("2024-05-12 09:05")
    assert last["amount_eur"] == pytest.approx(2760)
    assert set(g["beneficiary"]) == {"P-ORG"}
    # a narrower window loses the OK of PAY4 (23.5 hours before) but keeps PAY3's (4 hours)
    assert guarantees(demo, window_hours=12)["ok_id"].fillna("-").tolist() == ["-", "C07", "-"]


def test_guarantees_phase_one_has_none():
    assert guarantees(load_case("demo").released(1)).empty


def test_totals_and_who_profits(demo):
    t = totals(demo)
    assert t.loc["P-ORG", ["received_eur", "paid_eur", "net_eur"]].tolist() == pytest.approx(
        [8510, 300, 8210]
    )
    assert t.loc["AC-ORG", "received_eur"] == pytest.approx(8510)
    assert t.loc["AC-HAW", ["received_eur", "paid_eur"]].tolist() == pytest.approx([2300, 8510])
    assert t.loc["P-FAM", "paid_eur"] == pytest.approx(2300)
    assert t.loc["AC-ORG", "kind"] == "account" and t.loc["P-ORG", "kind"] == "person"
    early = totals(demo, since=pd.Timestamp("2024-05-07"), until=pd.Timestamp("2024-05-12"))
    assert early.loc["P-ORG", "received_eur"] == pytest.approx(3450)
    ranking = who_profits(demo)
    assert list(ranking.index[:2]) == ["P-ORG", "P-DRV"]
    assert ranking.loc["P-DRV", "net_eur"] == pytest.approx(821.6)
    assert (ranking.index.str.startswith("P-")).all()


def test_structuring(demo):
    assert structuring(demo).empty
    pay = demo.payments.copy()
    extra = pd.DataFrame(
        {
            "id": ["S1", "S2", "S3", "S4"],
            "time": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04"]),
            "payer": ["P-ORG"] * 3 + ["P-FAM"],
            "payee": ["P-DRV"] * 4,
            "amount": [950.0, 999.0, 1030.0, 980.0],  # 1030 USD = 947.6 EUR
            "currency": ["EUR", "EUR", "USD", "EUR"],
            "channel": ["cash"] * 4,
        }
    )
    case = with_payments(demo, pd.concat([pay, extra], ignore_index=True))
    s = structuring(case).set_index("party")
    assert s.loc["P-ORG", "count"] == 3 and bool(s.loc["P-ORG", "flagged"])
    assert s.loc["P-ORG", "payments"] == ["S1", "S2", "S3"]
    assert not s.loc["P-FAM", "flagged"]
    by_payee = structuring(case, by="payee").set_index("party")
    assert by_payee.loc["P-DRV", "count"] == 4
    assert structuring(case, below=0.05).set_index("party").loc["P-ORG", "count"] == 2
    assert structuring(with_payments(case, case.payments, reporting_threshold_eur=None)).empty


def test_benefit_summary(demo):
    s = benefit_summary(demo, "P-ORG")
    assert list(s["payments"]["id"]) == ["PAY2", "PAY3", "PAY4"]
    assert s["by_channel"] == {"money_transfer": pytest.approx(8510)}
    assert s["total_eur"] == pytest.approx(8510)
    driver = benefit_summary(demo, "P-DRV")
    assert driver["by_channel"] == pytest.approx({"bank": 521.6, "money_transfer": 300})


def test_corridor_sanity(corridor):
    start = time.perf_counter()
    ranking = who_profits(corridor)
    g = guarantees(corridor)
    f = flows(corridor)
    t = totals(corridor)
    s = structuring(corridor)
    b = benefit_summary(corridor, "P-BRK")
    assert time.perf_counter() - start < 1.0
    assert ranking.index[0] == "P-BRK"
    assert len(g) == 27  # 14 money transfers and 13 ledger lines to Bato; refunds left out
    assert set(g["beneficiary"]) == {"P-BRK"}
    assert g["ok_id"].notna().all() and g["deposit_id"].notna().all()
    assert g.loc[g["release_id"] == "PAY-REL-G01-1", "ok_id"].item() == "C-G01-OK1a"
    assert g["amount_eur"].sum() == pytest.approx(179_400 + 204_000)
    assert b["by_channel"]["hawala"] == pytest.approx(179_400)  # the ledger's total (D-HAW)
    assert not f.empty and t["net_eur"].notna().all() and isinstance(s, pd.DataFrame)
    assert guarantees(corridor.released(1)).empty
