"""Money trail of a (released) case: EUR values, flows, guarantees, totals and structuring."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .analysis import account_holders, payments_to, phone_users

if TYPE_CHECKING:
    from .case import Case

__all__ = [
    "AGENT_ACCOUNT_KINDS",
    "EXCHANGE_KINDS",
    "to_eur",
    "payments_eur",
    "flows",
    "guarantees",
    "totals",
    "who_profits",
    "structuring",
    "benefit_summary",
]

# Accounts kept by agents that hold or forward other people's money.
AGENT_ACCOUNT_KINDS = ("hawala", "money_transfer")
# Organisation kinds that count as exchange businesses.
EXCHANGE_KINDS = ("exchange_office", "money_transfer_shop")
_OK = re.compile(r"\bok\b", re.IGNORECASE)


def to_eur(case: Case, amount: float, currency: str) -> float:
    """Convert ``amount`` of ``currency`` to EUR with the rates stored in the case.

    A currency without a rate gives NaN, never an exception.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo")
    >>> round(to_eur(case, 2500, "USD"), 2)
    2300.0
    >>> to_eur(case, 10, "XYZ")
    nan
    """
    rate = case.meta.currency_rates.get(currency)
    if rate is None or amount is None or pd.isna(amount):
        return math.nan
    return float(amount) * float(rate)


def payments_eur(case: Case) -> pd.DataFrame:
    """Return the payments with an ``eur`` column (NaN where the case has no rate).

    Examples
    --------
    >>> from widgets import load_case
    >>> pay = payments_eur(load_case("demo"))
    >>> pay.set_index("id")["eur"].round(2).to_dict()["PAY6"]
    521.6
    """
    pay = case.payments.copy()
    rates = {k: float(v) for k, v in case.meta.currency_rates.items()}
    pay["eur"] = pay["amount"] * pay["currency"].map(rates).astype(float)
    return pay


# ----------------------------------------------------------------- parties


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _coalesce(first: pd.Series, second: pd.Series) -> pd.Series:
    """Take ``first`` where it is given (not missing, not empty), else ``second``."""
    first, second = first.astype(object), second.astype(object)
    return first.where(first.notna() & (first != ""), second.where(second != ""))


def _escrow_accounts(case: Case) -> set[str]:
    """Agent accounts (hawala or money transfer) that pay out for someone other than their holder.

    A customer account paid out by its own holder (the organiser collecting transfers) is not
    one; a guarantee ledger, paid out by the shop with no payer named, is.
    """
    kinds = dict(zip(case.accounts["id"], case.accounts["kind"], strict=True))
    holders = account_holders(case)
    out = set()
    for row in case.payments.itertuples(index=False):
        acc = row.payer_account
        if _blank(acc) or kinds.get(acc) not in AGENT_ACCOUNT_KINDS:
            continue
        if _blank(row.payer) or row.payer != holders.get(acc):
            out.add(acc)
    return out


def _exchanges(case: Case) -> set[str]:
    orgs = case.organisations
    return set(orgs.loc[orgs["kind"].isin(EXCHANGE_KINDS), "id"])


def _sides(case: Case, resolve_escrow: bool = True) -> pd.DataFrame:
    """Payments in EUR with ``source`` and ``target`` parties (NaN where none is known).

    The party is the payer (payee) named, else the holder of the account; the holder of an
    escrow ledger is skipped unless ``resolve_escrow``, since the ledger holds clients' money.
    """
    holders = account_holders(case)
    if not resolve_escrow:
        for acc in _escrow_accounts(case):
            holders.pop(acc, None)
    pay = payments_eur(case)
    for side, person, account in (
        ("source", "payer", "payer_account"),
        ("target", "payee", "payee_account"),
    ):
        pay[side] = _coalesce(pay[person], pay[account].astype(object).map(holders))
    return pay


def flows(case: Case, by: str = "party") -> pd.DataFrame:
    """Aggregate the money flows from source to target, per channel, in EUR (for a Sankey).

    Parameters
    ----------
    case : Case
        A released case.
    by : {"party", "account"}
        ``"party"``: the payer, else the holder of the payer's account, else the account (same
        on the payee side). ``"account"``: the account, else the party named.

    Returns
    -------
    pandas.DataFrame
        Columns source, target, channel, count, total_eur; largest flows first.

    Examples
    --------
    >>> from widgets import load_case
    >>> f = flows(load_case("demo"))
    >>> f.iloc[0][["source", "target", "channel"]].tolist(), f.iloc[0]["total_eur"]
    (['AC-HAW', 'P-ORG', 'money_transfer'], np.float64(8510.0))
    >>> flows(load_case("demo"), by="account").iloc[0][["source", "target"]].tolist()
    ['AC-HAW', 'AC-ORG']
    """
    if by not in ("party", "account"):
        raise ValueError(f"by must be 'party' or 'account', not {by!r}")
    pay = _sides(case)
    if by == "party":
        pay["source"] = _coalesce(pay["source"], pay["payer_account"])
        pay["target"] = _coalesce(pay["target"], pay["payee_account"])
    else:
        pay["source"] = _coalesce(pay["payer_account"], pay["payer"])
        pay["target"] = _coalesce(pay["payee_account"], pay["payee"])
    pay = pay.dropna(subset=["source", "target"])
    out = (
        pay.groupby(["source", "target", "channel"], as_index=False)
        .agg(count=("id", "size"), total_eur=("eur", lambda s: s.sum(min_count=1)))
        .sort_values(["total_eur", "source", "target"], ascending=[False, True, True])
    )
    return out.reset_index(drop=True)


# ----------------------------------------------------------------- guarantees


def guarantees(case: Case, window_hours: float = 72, batch_hours: float = 24) -> pd.DataFrame:
    """Match each guarantee release with the "OK" message and the deposit before it.

    Heuristics (documented, since the evidence rarely links the three explicitly):

    - **Release**: a payment from a hawala or money-transfer account that is not paid out by
      that account's own holder (a ledger or shop paying for its clients), or a payment made by
      an exchange business (organisation of kind exchange_office or money_transfer_shop) that is
      not itself a deposit. A payment back to someone who deposited into the same account is a
      refund, not a release, and is left out.
    - **Deposit**: a payment into the released account (or to the exchange business) from
      someone else, before the release. Deposits are released first in, first out: each release
      takes the oldest deposit still held, together with the deposits that followed it at most
      ``batch_hours`` apart (one group is often paid in by several partners); ``deposit_id`` is
      the first of them, ``deposits`` lists them all. A refund (a payment back to a depositor)
      frees that depositor's latest deposit instead. Without group references in the evidence
      this is an approximation: check the ledger.
    - **OK message**: a message whose content contains the word "OK" (any case), sent in the
      ``window_hours`` before the release, not yet matched to an earlier release. Messages to or
      from a phone of the account's holder are preferred when there are any, then a capital
      "OK" over a casual "ok", then the earliest.

    Missing parts are NaN (or NaT).

    Returns
    -------
    pandas.DataFrame
        Columns deposit_id, deposit_time, deposits, ok_id, ok_time, release_id, release_time,
        amount_eur, beneficiary; one row per release, in time order.

    Examples
    --------
    >>> from widgets import load_case
    >>> g = guarantees(load_case("demo"))
    >>> g[["release_id", "ok_id", "deposit_id"]].fillna("-").values.tolist()
    [['PAY2', '-', '-'], ['PAY3', 'C07', '-'], ['PAY4', 'C11', 'PAY1']]
    """
    columns = [
        "deposit_id",
        "deposit_time",
        "deposits",
        "ok_id",
        "ok_time",
        "release_id",
        "release_time",
        "amount_eur",
        "beneficiary",
    ]
    pay = _sides(case).sort_values(["time", "id"])
    escrow = _escrow_accounts(case)
    exchanges = _exchanges(case)
    holders = account_holders(case)

    into = pay["payee_account"].isin(escrow) | pay["payee"].isin(exchanges)
    deposits = pay[into & ~pay["payer_account"].isin(escrow)]
    releases = pay[(pay["payer_account"].isin(escrow) | pay["payer"].isin(exchanges)) & ~into]

    comms = case.communications
    ok = comms[(comms["kind"] == "message") & comms["content"].fillna("").str.contains(_OK)]
    ok = ok.sort_values(["time", "id"])
    users = phone_users(case)
    ok_parties = [
        {users.get(a), users.get(b)} for a, b in zip(ok["caller"], ok["receiver"], strict=True)
    ]
    ok_capital = ok["content"].str.contains(r"\bOK\b").to_numpy()
    ok_times = ok["time"].to_numpy()
    window = np.timedelta64(int(window_hours * 3600), "s")

    used_ok: set[str] = set()
    used_dep: set[str] = set()
    batch = pd.Timedelta(hours=batch_hours)
    rows = []
    for rel in releases.itertuples(index=False):
        key = rel.payer_account if not _blank(rel.payer_account) else rel.payer
        mine = deposits[
            (deposits["payee_account"] == key) | (deposits["payee"] == key)
            if key in escrow
            else deposits["payee"] == key
        ]
        mine = mine[mine["time"] <= rel.time]
        back = mine[(mine["source"] == rel.target) | (mine["payer_account"] == rel.payee_account)]
        if not _blank(rel.target) and len(back):  # a refund: that deposit is no longer held
            used_dep.update(back.loc[~back["id"].isin(used_dep), "id"].iloc[-1:])
            continue
        mine = mine[~mine["id"].isin(used_dep)]
        # the OK message
        keeper = holders.get(key, key)
        t = np.datetime64(rel.time)
        cand = [
            i
            for i in np.flatnonzero((ok_times <= t) & (ok_times >= t - window))
            if ok["id"].iat[i] not in used_ok
        ]
        if any(keeper in ok_parties[i] for i in cand):
            cand = [i for i in cand if keeper in ok_parties[i]]
        if any(ok_capital[i] for i in cand):
            cand = [i for i in cand if ok_capital[i]]
        ok_id, ok_time = (
            (ok["id"].iat[cand[0]], ok["time"].iat[cand[0]]) if cand else (np.nan, None)
        )
        if ok_time is not None:
            used_ok.add(ok_id)
        # the deposit: the oldest batch still held
        dep_ids, dep_time = [], None
        if len(mine):
            dep_time = mine["time"].iat[0]
            last = dep_time
            for dep in mine.itertuples(index=False):
                if dep.time - last > batch:
                    break
                dep_ids.append(dep.id)
                last = dep.time
            used_dep.update(dep_ids)
        beneficiary = rel.target if not _blank(rel.target) else rel.payee_account
        beneficiary = np.nan if _blank(beneficiary) else beneficiary
        rows.append(
            [dep_ids[0] if dep_ids else np.nan, dep_time, dep_ids, ok_id, ok_time]
            + [rel.id, rel.time, rel.eur, beneficiary]
        )
    out = pd.DataFrame(rows, columns=columns)
    for col in ("deposit_time", "ok_time", "release_time"):
        out[col] = pd.to_datetime(out[col])
    out["amount_eur"] = out["amount_eur"].astype(float)
    return out


# ----------------------------------------------------------------- totals


def totals(
    case: Case, since: pd.Timestamp | None = None, until: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Sum what each party and each account received and paid, in EUR, over a period.

    Parties are the payer or payee named, else the holder of the account. The keeper of an
    escrow ledger (a hawala or money-transfer account that pays out for others) is not credited
    with its deposits: that money belongs to the clients; the ledger appears as an account.

    Parameters
    ----------
    case : Case
        A released case.
    since, until : pandas.Timestamp, optional
        Keep only payments at or after ``since`` and before ``until``.

    Returns
    -------
    pandas.DataFrame
        Index entity; columns kind (person, organisation, account...), received_eur, paid_eur,
        net_eur (received minus paid); largest net first.

    Examples
    --------
    >>> from widgets import load_case
    >>> t = totals(load_case("demo"))
    >>> t.loc["P-ORG", ["received_eur", "paid_eur", "net_eur"]].tolist()
    [8510.0, 300.0, 8210.0]
    >>> t.loc["AC-HAW", "net_eur"]
    np.float64(-6210.0)
    """
    pay = _sides(case, resolve_escrow=False)
    if since is not None:
        pay = pay[pay["time"] >= pd.Timestamp(since)]
    if until is not None:
        pay = pay[pay["time"] < pd.Timestamp(until)]
    parts = []
    for column, sign in (
        ("target", "received_eur"),
        ("payee_account", "received_eur"),
        ("source", "paid_eur"),
        ("payer_account", "paid_eur"),
    ):
        sub = pay[pay[column].notna() & (pay[column] != "")]
        parts.append(pd.DataFrame({"entity": sub[column], sign: sub["eur"]}))
    frame = pd.concat(parts, ignore_index=True)
    out = frame.groupby("entity")[["received_eur", "paid_eur"]].sum(min_count=0)
    out["net_eur"] = out["received_eur"] - out["paid_eur"]
    types = dict(zip(case.entities["id"], case.entities["type"], strict=True))
    out.insert(0, "kind", [types.get(e, "unknown") for e in out.index])
    return out.sort_values(["net_eur"], ascending=False, kind="stable")


def who_profits(case: Case) -> pd.DataFrame:
    """Rank the persons by what they received net, in EUR (accounts resolved to holders).

    Examples
    --------
    >>> from widgets import load_case
    >>> who_profits(load_case("demo")).iloc[0].name
    'P-ORG'
    """
    t = totals(case)
    t = t[t["kind"] == "person"].drop(columns="kind")
    return t.sort_values(["net_eur", "received_eur"], ascending=False, kind="stable")


def structuring(
    case: Case, below: float = 0.1, min_count: int = 3, by: str = "payer"
) -> pd.DataFrame:
    """Find payments just under the case's reporting threshold, grouped by payer or payee.

    A payment counts when its EUR value is at least ``(1 - below) * threshold`` and under the
    threshold; a group is flagged when it has at least ``min_count`` of them.

    Parameters
    ----------
    by : {"payer", "payee"}
        Group by the paying or by the receiving party (holder of the account resolved).

    Returns
    -------
    pandas.DataFrame
        Columns party, count, total_eur, payments (list of ids), flagged; empty when the case
        declares no threshold.

    Examples
    --------
    >>> from widgets import load_case
    >>> structuring(load_case("demo")).empty
    True
    """
    columns = ["party", "count", "total_eur", "payments", "flagged"]
    threshold = case.meta.reporting_threshold_eur
    if by not in ("payer", "payee"):
        raise ValueError(f"by must be 'payer' or 'payee', not {by!r}")
    if threshold is None:
        return pd.DataFrame(columns=columns)
    high = float(threshold)
    pay = _sides(case)
    side, account = ("source", "payer_account") if by == "payer" else ("target", "payee_account")
    pay["party"] = _coalesce(pay[side], pay[account])
    near = pay[(pay["eur"] >= (1 - below) * high) & (pay["eur"] < high)].sort_values(["time", "id"])
    if near.empty:
        return pd.DataFrame(columns=columns)
    out = near.groupby("party", as_index=False).agg(
        count=("id", "size"), total_eur=("eur", "sum"), payments=("id", list)
    )
    out["flagged"] = out["count"] >= min_count
    return out.sort_values(["count", "party"], ascending=[False, True]).reset_index(drop=True)


def benefit_summary(case: Case, entity: str) -> dict:
    """Collect the payments that prove a financial benefit to ``entity``, with totals.

    The payments received by ``entity`` directly or on an account it holds
    (:func:`widgets.analysis.payments_to`), less transfers from itself (e.g. cash it paid into
    its own account).

    Returns
    -------
    dict
        ``payments``: DataFrame of the payments with their ``eur`` value; ``by_channel``: dict
        channel -> EUR total; ``total_eur``: float; ``unconverted``: ids without a rate.

    Examples
    --------
    >>> from widgets import load_case
    >>> s = benefit_summary(load_case("demo"), "P-ORG")
    >>> list(s["payments"]["id"]), s["by_channel"], s["total_eur"]
    (['PAY2', 'PAY3', 'PAY4'], {'money_transfer': 8510.0}, 8510.0)
    """
    received = payments_to(case, entity)
    sides = _sides(case).set_index("id")
    received = received.assign(
        eur=received["id"].map(sides["eur"]), source=received["id"].map(sides["source"])
    )
    received = received[received["source"] != entity].drop(columns="source")
    by_channel = received.groupby("channel")["eur"].sum(min_count=1).dropna()
    return {
        "payments": received.reset_index(drop=True),
        "by_channel": {k: float(v) for k, v in by_channel.items()},
        "total_eur": float(received["eur"].sum()),
        "unconverted": list(received.loc[received["eur"].isna(), "id"]),
    }
