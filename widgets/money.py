"""Money trail of a (released) case: EUR values, flows, guarantees, totals and structuring."""

from __future__ import annotations

import functools
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
    "channel_totals",
    "people_in",
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


def _escrow_accounts(case: Case, holders: dict[str, str] | None = None) -> set[str]:
    """Agent accounts (hawala or money transfer) that pay out for someone other than their holder.

    A customer account paid out by its own holder (the organiser collecting transfers) is not
    one; a guarantee ledger, paid out by the shop with no payer named, is.
    """
    holders = account_holders(case) if holders is None else holders
    kinds = dict(zip(case.accounts["id"], case.accounts["kind"], strict=True))
    agents = {a for a, kind in kinds.items() if kind in AGENT_ACCOUNT_KINDS}
    pay = case.payments
    pay = pay[pay["payer_account"].isin(agents)]
    holder = pay["payer_account"].map(holders)
    paid_for_others = pay["payer"].isna() | (pay["payer"] == "") | (pay["payer"] != holder)
    return set(pay.loc[paid_for_others, "payer_account"])


def _exchanges(case: Case) -> set[str]:
    orgs = case.organisations
    return set(orgs.loc[orgs["kind"].isin(EXCHANGE_KINDS), "id"])


def _sides(
    case: Case, resolve_escrow: bool = True, holders: dict[str, str] | None = None
) -> pd.DataFrame:
    """Payments in EUR with ``source`` and ``target`` parties (NaN where none is known).

    The party is the payer (payee) named, else the holder of the account; the holder of an
    escrow ledger is skipped unless ``resolve_escrow``, since the ledger holds clients' money.
    """
    holders = dict(account_holders(case) if holders is None else holders)
    if not resolve_escrow:
        for acc in _escrow_accounts(case, holders):
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
        on the payee side); money a party pays into its own account (cash paid in at the
        counter) goes to that account, so the flow is not lost in a loop. ``"account"``: the
        account, else the party named.

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
        own = (pay["source"] == pay["target"]) & pay["payee_account"].notna()
        pay.loc[own, "target"] = pay.loc[own, "payee_account"]
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


def channel_totals(case: Case) -> pd.DataFrame:
    """Sum the payments per channel and currency: how many, the amount, and its EUR value.

    Returns
    -------
    pandas.DataFrame
        Columns channel, currency, count, amount (in the currency), total_eur (NaN without a
        rate); largest EUR total first.

    Examples
    --------
    >>> from widgets import load_case
    >>> channel_totals(load_case("demo")).round(2).values.tolist()
    [['money_transfer', 'EUR', 4, 8810.0, 8810.0], ['hawala', 'USD', 1, 2500.0, 2300.0], \
['bank', 'MKD', 1, 32000.0, 521.6]]
    """
    pay = payments_eur(case)
    out = pay.groupby(["channel", "currency"], as_index=False).agg(
        count=("id", "size"),
        amount=("amount", "sum"),
        total_eur=("eur", lambda s: s.sum(min_count=1)),
    )
    out = out.sort_values(["total_eur", "channel", "currency"], ascending=[False, True, True])
    return out.reset_index(drop=True)


# ----------------------------------------------------------------- guarantees

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
_COUNT = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_PEOPLE = re.compile(_COUNT + r"\s*(?:pax|persons?|people|clients?)\b", re.IGNORECASE)
_FOR_COUNT = re.compile(r"\bfor\s+(?:the\s+)?" + _COUNT + r"\b", re.IGNORECASE)
_FOR_NAME = re.compile(r"\bfor\s+[A-Z][a-z]+\b")
_LEG = re.compile(r"\bleg\s*(\d+)\b", re.IGNORECASE)
_OK_PLACE = re.compile(r"\bOK\s+(?:from\s+)?([A-Z][\w-]+)")
_OK_COUNT = re.compile(r"\bOK\b[^.!?]{0,40}?\bfor\s+(?:the\s+)?(\d+)\b", re.IGNORECASE)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def people_in(text) -> int | None:
    """Read how many people a payment's purpose covers: "4 pax", "for four", "for Farid" (1).

    Examples
    --------
    >>> people_in("Guarantee 4 pax, leg 1"), people_in("Guarantee for four, Greece to Serbia")
    (4, 4)
    >>> people_in("Guarantee for Farid, Greece to Serbia"), people_in("Family support")
    (1, None)
    >>> people_in("Bato / 12 pax / OK Belgrade"), people_in(None)
    (12, None)
    """
    return _people(text) if isinstance(text, str) else None


@functools.lru_cache(maxsize=4096)
def _people(text: str) -> int | None:
    # a ledger repeats the same few purposes thousands of times: read each once
    for pattern in (_PEOPLE, _FOR_COUNT):
        found = pattern.search(text)
        if found:
            return _number(found.group(1))
    return 1 if _FOR_NAME.search(text) else None


@functools.lru_cache(maxsize=4096)
def _leg_of(text: str) -> int | None:
    found = _LEG.search(text)
    return int(found.group(1)) if found else None


def _leg(text) -> int | None:
    return _leg_of(text) if isinstance(text, str) else None


def _ok_place(text) -> str | None:
    found = _OK_PLACE.search(text) if isinstance(text, str) else None
    return found.group(1).lower() if found else None


_DEPOSIT_COLUMNS = (
    "id",
    "time",
    "source",
    "payer_account",
    "payee",
    "amount",
    "currency",
    "eur",
    "purpose",
    "key_in",
)
_RELEASE_COLUMNS = (
    "id",
    "time",
    "target",
    "payee_account",
    "amount",
    "currency",
    "eur",
    "purpose",
    "key_out",
)


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict]:
    """Rows as dicts of plain values, quicker than ``to_dict("records")`` on a big table."""
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _unit_prices(deps: list[dict]) -> None:
    """Give deposits without a number of people one from the price per person of the others.

    The ledger states "4 pax, leg 1" on most lines; a line without it ("Guarantee Tariq")
    whose amount is a whole multiple of one leg's price per person (USD 2,800) is read as that
    many people on that leg.
    """
    prices: dict[tuple, dict[float, int]] = {}
    for d in deps:
        if d["people"]:
            key = (d["leg"] or 0, d["currency"])
            price = round(d["amount"] / d["people"], 2)
            prices.setdefault(key, {}).setdefault(price, 0)
            prices[key][price] += 1
    usual = {key: max(counts, key=counts.get) for key, counts in prices.items()}
    for d in deps:
        if d["people"]:
            continue
        # a leg named in the ledger before one left blank, so "Guarantee Tariq" is leg 1
        for (leg, currency), price in sorted(usual.items(), key=lambda kv: (not kv[0][0], kv[0])):
            share = d["amount"] / price
            if currency == d["currency"] and share >= 1 and abs(share - round(share)) < 1e-6:
                d["people"] = int(round(share))
                d["leg"] = d["leg"] or leg or None
                break


def _best_fill(first: dict, others: list[dict], people: int) -> list[dict] | None:
    """Deposits that, with ``first``, cover exactly ``people``: the set complete soonest."""
    need = people - first["people"]
    if need == 0:
        return [first]
    if need < 0:
        return None
    pool = [d for d in others if d["people"] and d["people"] <= need]
    best, best_key = None, None
    for i, a in enumerate(pool):
        if a["people"] == need:
            key = (a["time"], 1)
            if best_key is None or key < best_key:
                best, best_key = [first, a], key
            continue
        for j in range(i + 1, len(pool)):
            b = pool[j]
            if best_key is not None and b["time"] > best_key[0]:
                break
            if a["people"] + b["people"] == need:
                key = (b["time"], 2)
                if best_key is None or key < best_key:
                    best, best_key = [first, a, b], key
                break
    if best is None:  # three more deposits: rare, and only tried when nothing simpler fits
        for i, a in enumerate(pool):
            for j in range(i + 1, len(pool)):
                for b in pool[j + 1 :]:
                    if a["people"] + pool[j]["people"] + b["people"] == need:
                        return [first, a, pool[j], b]
    return best


def guarantees(
    case: Case,
    window_hours: float = 72,
    batch_hours: float = 36,
    unmatched: bool = False,
) -> pd.DataFrame:
    """Match each guarantee release with the "OK" message and the deposits before it.

    The evidence rarely links the three explicitly, so the matching follows documented rules;
    the ``match`` column says which one found the deposits, so a reader knows how far to
    trust each row.

    - **Release**: a payment from a hawala or money-transfer account that is not paid out by
      that account's own holder (a ledger or shop paying for its clients), or a payment made by
      an exchange business (organisation of kind exchange_office or money_transfer_shop) that is
      not itself a deposit.
    - **Refund**: a release to someone who deposited into the same account. It gives back the
      deposit of that depositor it fits best (same currency, at least the amount refunded,
      the same number of people when stated), else the depositor's latest.
    - **Deposit**: a payment into the released account (or to the exchange business) from
      someone else, before the release. How many people a deposit or a release covers is read
      from its purpose ("Guarantee 4 pax, leg 1", "Bato / 8 pax / OK Hungary", "for four"),
      else from the "OK for 8" message before the release, else from the amount and the price
      per person of earlier releases on the same leg. A release then takes the oldest deposit
      still held that, with deposits of the same leg paid in at most ``batch_hours`` after it
      (one group is often paid in by several partners), covers exactly that many people:
      ``match`` is ``"people"``. When the number cannot be known or nothing fits, it takes the
      oldest deposits still held, first in, first out: ``match`` is ``"oldest"``, an
      approximation to check in the ledger.
    - **OK message**: a message whose content contains the word "OK", sent in the
      ``window_hours`` before the release and not yet matched to an earlier release. Messages
      to or from a phone of the account's holder are preferred when there are any, then those
      naming the place of the release ("OK Hungary"), then the "OK" just before a message that
      states the release's number of people ("OK for 8"), then a capital "OK" over a casual
      "ok", then the earliest. Copies of the chosen message (two partners forwarding the same
      "OK") are matched with it.

    Parameters
    ----------
    case : Case
        A released case.
    window_hours : float
        How long before a release its "OK" may come.
    batch_hours : float
        How long after a group's first deposit its other deposits may come.
    unmatched : bool
        Also return a row for each refund (``outcome`` ``"refunded"``, the refund as the
        release) and for each deposit still held (``"held"``, no release).

    Returns
    -------
    pandas.DataFrame
        Columns deposit_id, deposit_time, deposits, ok_id, ok_time, release_id, release_time,
        amount_eur, beneficiary, people, match, outcome; releases in time order (then refunds
        and held deposits). Missing parts are NaN (or NaT).

    Examples
    --------
    >>> from widgets import load_case
    >>> g = guarantees(load_case("demo"))
    >>> g[["release_id", "ok_id", "deposit_id", "match"]].fillna("-").values.tolist()
    [['PAY2', '-', '-', '-'], ['PAY3', 'C07', '-', '-'], ['PAY4', 'C11', 'PAY1', 'oldest']]
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
        "people",
        "match",
        "outcome",
    ]
    holders = account_holders(case)
    pay = _sides(case, holders=holders).sort_values(["time", "id"], kind="stable")
    escrow = _escrow_accounts(case, holders)
    exchanges = _exchanges(case)

    into = pay["payee_account"].isin(escrow) | pay["payee"].isin(exchanges)
    is_dep = into & ~pay["payer_account"].isin(escrow)
    # out of a ledger to anyone but another ledger (a refund to a partner exchanger included),
    # or paid by an exchange business that is not itself paying in
    is_rel = (pay["payer_account"].isin(escrow) & ~pay["payee_account"].isin(escrow)) | (
        pay["payer"].isin(exchanges) & ~into
    )
    records = pay.assign(
        key_in=np.where(pay["payee_account"].isin(escrow), pay["payee_account"], pay["payee"]),
        key_out=pay["payer_account"].where(pay["payer_account"].isin(escrow), pay["payer"]),
    )
    deps_by_key: dict[str, list[dict]] = {}
    for row in _records(records[is_dep], _DEPOSIT_COLUMNS):
        dep = {
            "id": row["id"],
            "time": row["time"],
            "source": row["source"],
            "payer_account": row["payer_account"],
            "amount": float(row["amount"]),
            "currency": row["currency"],
            "eur": row["eur"],
            "people": people_in(row["purpose"]),
            "leg": _leg(row["purpose"]),
            "used": False,
        }
        deps_by_key.setdefault(row["key_in"], []).append(dep)
        # a deposit to an exchange business that holds it in a ledger counts for both
        if row["payee"] in exchanges and row["key_in"] != row["payee"]:
            deps_by_key.setdefault(row["payee"], []).append(dep)
    by_depositor: dict[str, dict[str, list[dict]]] = {}
    for key, deps in deps_by_key.items():
        _unit_prices(deps)
        mine = by_depositor.setdefault(key, {})
        for d in deps:
            for who in {d["source"], d["payer_account"]}:
                if not _blank(who):
                    mine.setdefault(who, []).append(d)

    # the OK messages, as plain arrays for quick windows
    comms = case.communications
    ok = comms[(comms["kind"] == "message") & comms["content"].fillna("").str.contains(_OK)]
    ok = ok.sort_values(["time", "id"], kind="stable")
    users = phone_users(case)
    ok_ids = ok["id"].tolist()
    ok_text = ok["content"].tolist()
    ok_times = ok["time"].to_numpy()
    ok_stamps = list(ok["time"])
    ok_parties = [
        {users.get(a, a), users.get(b, b)}
        for a, b in zip(ok["caller"], ok["receiver"], strict=True)
    ]
    ok_capital = [bool(re.search(r"\bOK\b", t)) for t in ok_text]
    ok_count = [_OK_COUNT.search(t) for t in ok_text]
    ok_count = [int(m.group(1)) if m else None for m in ok_count]
    ok_norm = [re.sub(r"\W+", " ", t).strip().lower() for t in ok_text]
    used_ok = [False] * len(ok_ids)
    window = np.timedelta64(int(window_hours * 3600), "s")
    # plain integers (ns) compare much faster than numpy scalars in the loops below
    ok_ns = ok_times.astype("datetime64[ns]").astype(np.int64).tolist()
    burst_ns = 3 * 3600 * 10**9
    span = pd.Timedelta(hours=batch_hours)
    rates: dict[int, set[float]] = {}

    def pick_ok(t, keeper, place, counts):
        t = np.datetime64(t)
        lo, hi = np.searchsorted(ok_times, [t - window, t], side="left")
        hi = np.searchsorted(ok_times, t, side="right")
        cand = [i for i in range(lo, hi) if not used_ok[i]]
        if any(keeper in ok_parties[i] for i in cand):
            cand = [i for i in cand if keeper in ok_parties[i]]
        if place and any(place in ok_text[i].lower() for i in cand):
            cand = [i for i in cand if place in ok_text[i].lower()]
        counted = [
            i for i in cand if ok_count[i] is not None and (not counts or ok_count[i] in counts)
        ]
        count_at = None
        if counted:
            # the "OK" just before the message that states the number of people
            count_at = counted[0]
            before = [
                i
                for i in cand
                if ok_ns[count_at] - burst_ns <= ok_ns[i] <= ok_ns[count_at] and ok_count[i] is None
            ]
            cand = before[-1:] or [count_at]
        if any(ok_capital[i] for i in cand):
            cand = [i for i in cand if ok_capital[i]]
        if not cand:
            return None, None
        chosen = cand[0]
        # the same OK forwarded by several partners: all matched, the first one shown
        copies = [
            i
            for i in range(lo, hi)
            if not used_ok[i]
            and ok_norm[i] == ok_norm[chosen]
            and abs(ok_ns[i] - ok_ns[chosen]) <= burst_ns
        ]
        for i in copies:
            used_ok[i] = True
        chosen = min(copies, default=chosen)
        used_ok[chosen] = True
        people = None
        if count_at is not None:
            used_ok[count_at] = True
            people = ok_count[count_at]
        return chosen, people

    def fill_from(held, at, people):
        first = held[at]
        if not first["people"]:
            return None
        end = first["time"] + span
        others = []
        for d in held[at + 1 :]:
            if d["time"] > end:
                break
            if d["leg"] == first["leg"]:
                others.append(d)
        return _best_fill(first, others, people)

    rows, refunds = [], []
    arrived = dict.fromkeys(deps_by_key, 0)
    holding: dict[str, list[dict]] = {key: [] for key in deps_by_key}
    for rel in _records(records[is_rel], _RELEASE_COLUMNS):
        key = rel["key_out"]
        deps = deps_by_key.get(key, [])
        # deposits paid in by now and not yet released, oldest first
        n_in = arrived.get(key, 0)
        while n_in < len(deps) and deps[n_in]["time"] <= rel["time"]:
            n_in += 1
        held = [d for d in holding.get(key, []) if not d["used"]]
        held += [d for d in deps[arrived.get(key, 0) : n_in] if not d["used"]]
        if deps:
            arrived[key], holding[key] = n_in, held
        target = rel["target"]
        stated = people_in(rel["purpose"])
        mine = by_depositor.get(key, {})
        back = [
            d
            for who in (target, rel["payee_account"])
            if not _blank(who)
            for d in mine.get(who, ())
            if d["time"] <= rel["time"]
        ]
        if back:  # a refund: that deposit is no longer held
            free = [d for d in back if not d["used"]] or back
            fits = [
                d
                for d in free
                if d["currency"] == rel["currency"]
                and d["amount"] >= float(rel["amount"])
                and (stated is None or d["people"] in (None, stated))
            ]
            chosen = min(fits, key=lambda d: (d["amount"], d["time"])) if fits else free[-1]
            chosen["used"] = True
            refunds.append(
                [chosen["id"], chosen["time"], [chosen["id"]], np.nan, None]
                + [rel["id"], rel["time"], rel["eur"], target, chosen["people"], "refund"]
                + ["refunded"]
            )
            continue
        keeper = holders.get(key, key)
        if stated:
            counts = {stated}
        else:
            counts = {
                round(rel["eur"] / r)
                for rs in rates.values()
                for r in rs
                if r and abs(rel["eur"] / r - round(rel["eur"] / r)) < 1e-6
            }
        ok_i, ok_people = pick_ok(rel["time"], keeper, _ok_place(rel["purpose"]), counts)
        people = stated or ok_people
        chosen, how = None, None
        for at, first in enumerate(held):
            if people and (first["people"] or 0) > people:
                continue
            if people:
                wanted = [people]
            else:
                wanted = [
                    round(rel["eur"] / r)
                    for r in sorted(rates.get(first["leg"], ()))
                    if abs(rel["eur"] / r - round(rel["eur"] / r)) < 1e-6
                ]
            for n in wanted:
                chosen = fill_from(held, at, n)
                if chosen:
                    people, how = n, "people"
                    break
            if chosen:
                break
        if chosen and (stated or ok_people) and rel["eur"] == rel["eur"]:
            rates.setdefault(chosen[0]["leg"], set()).add(round(rel["eur"] / people, 2))
        if not chosen and held:  # first in, first out
            first = held[0]
            chosen = [first] + [
                d
                for d in held[1:]
                if d["leg"] == first["leg"] and d["time"] - first["time"] <= span
            ]
            how = "oldest"
        for d in chosen or []:
            d["used"] = True
        beneficiary = target if not _blank(target) else rel["payee_account"]
        beneficiary = np.nan if _blank(beneficiary) else beneficiary
        rows.append(
            [
                chosen[0]["id"] if chosen else np.nan,
                chosen[0]["time"] if chosen else None,
                [d["id"] for d in chosen or []],
                ok_ids[ok_i] if ok_i is not None else np.nan,
                ok_stamps[ok_i] if ok_i is not None else None,
            ]
            + [rel["id"], rel["time"], rel["eur"], beneficiary, people or np.nan, how or np.nan]
            + ["released"]
        )
    if unmatched:
        rows += refunds
        seen = set()
        for deps in deps_by_key.values():
            for d in deps:
                if d["used"] or d["id"] in seen:
                    continue
                seen.add(d["id"])
                rows.append(
                    [d["id"], d["time"], [d["id"]], np.nan, None, np.nan, None, d["eur"]]
                    + [np.nan, d["people"] or np.nan, np.nan, "held"]
                )
    out = pd.DataFrame(rows, columns=columns)
    for col in ("deposit_time", "ok_time", "release_time"):
        out[col] = pd.to_datetime(out[col])
    out["amount_eur"] = out["amount_eur"].astype(float)
    out["people"] = out["people"].astype(float)
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
    (:func:`widgets.analysis.payments_to`), or, for an account, paid into it; less transfers
    from itself (e.g. cash it paid into its own account).

    Returns
    -------
    dict
        ``payments``: DataFrame of the payments (every column of the case's payments, with
        ``source`` and ``confidence`` of the evidence) and their ``eur`` value; ``by_channel``:
        dict channel -> EUR total; ``total_eur``: float; ``unconverted``: ids without a rate.

    Examples
    --------
    >>> from widgets import load_case
    >>> s = benefit_summary(load_case("demo"), "P-ORG")
    >>> list(s["payments"]["id"]), s["by_channel"], s["total_eur"]
    (['PAY2', 'PAY3', 'PAY4'], {'money_transfer': 8510.0}, 8510.0)
    >>> s["payments"][["source", "confidence"]].iloc[0].tolist()
    ['D-MTO', 'A2']
    >>> benefit_summary(load_case("demo"), "AC-ORG")["total_eur"]
    8510.0
    """
    received = payments_to(case, entity)
    if entity in set(case.accounts["id"]):
        pay = case.payments
        extra = pay[(pay["payee_account"] == entity) & ~pay["id"].isin(received["id"])]
        received = pd.concat([received, extra]).sort_values(["time", "id"], kind="stable")
    sides = _sides(case).set_index("id")
    payer = received["id"].map(sides["source"])
    received = received.assign(eur=received["id"].map(sides["eur"]))
    received = received[payer != entity]
    by_channel = received.groupby("channel")["eur"].sum(min_count=1).dropna()
    return {
        "payments": received.reset_index(drop=True),
        "by_channel": {k: float(v) for k, v in by_channel.items()},
        "total_eur": float(received["eur"].sum()),
        "unconverted": list(received.loc[received["eur"].isna(), "id"]),
    }
