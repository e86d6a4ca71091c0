"""Outcome contracts as real impact bonds are written: rate cards, tiers, caps, payers, the
ledger, investors' flows through the tranches, guarantees and the internal rate of return.
Every figure is computed by hand in the comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.domain import outcomes
from metrics.domain.outcomes import Draw, Payer, Price

Q1, Q2, Q3 = dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30)


def achieved(rows: list[tuple[dt.date, str, float, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["period", "outcome", "units", "improvement"])


def test_a_rate_card_of_several_outcomes_under_their_caps_and_the_contracts() -> None:
    card = [
        Price("emploi", "count", 1_000, max_units=10),
        Price("formation", "count", 500, max_amount=3_000),
    ]
    results = achieved(
        [
            (Q1, "emploi", 6, None),
            (Q1, "formation", 4, None),
            (Q2, "formation", 4, None),  # the rate card's order, not the file's, comes first
            (Q2, "emploi", 6, None),
        ]
    )
    table = outcomes.due(card, results, cap=12_500)
    assert table[["period", "outcome", "paid_units", "amount", "capped_by"]].values.tolist() == [
        [Q1, "emploi", 6, 6_000, ""],  # 6 x 1,000
        [Q1, "formation", 4, 2_000, ""],  # 4 x 500; 8,000 so far
        [Q2, "emploi", 4, 4_000, "outcome_units"],  # 10 units at most: 4 of the 6; 12,000
        [Q2, "formation", 1, 500, "contract"],  # 3,000 at most: 1,000 left; the contract's
        # 12,500: 500 left
    ]
    assert table["amount"].sum() == 12_500


def test_tiers_pay_the_price_of_the_highest_threshold_reached() -> None:
    card = [
        Price("récidive", "improvement", 150, threshold=10),
        Price("récidive", "improvement", 100, threshold=5),
    ]
    results = achieved(
        [
            (Q1, "récidive", 20, 0.04),  # below 5 %: nothing
            (Q2, "récidive", 30, 0.07),  # 5 % reached: 30 x 100
            (Q3, "récidive", 40, 0.10),  # exactly 10 % counts: 40 x 150
        ]
    )
    table = outcomes.due(card, results)
    assert table["price"].tolist()[1:] == [100, 150] and pd.isna(table["price"].iloc[0])
    assert table["amount"].tolist() == [0, 3_000, 6_000]


def test_two_payers_pro_rata_and_with_fixed_shares_within_their_commitments() -> None:
    owed = pd.DataFrame(
        {"period": [Q1, Q2], "outcome": ["emploi", "emploi"], "amount": [5_000.0, 5_000.0]}
    )
    pro_rata = [Payer("État", 3_000_000), Payer("Fonds", 1_000_000)]
    assert outcomes.shares(pro_rata) == {"État": 0.75, "Fonds": 0.25}
    split = outcomes.by_payer(owed, pro_rata)
    assert split["amount"].tolist() == [3_750, 1_250, 3_750, 1_250]  # 5,000 x 3/4, x 1/4
    fixed = [Payer("État", 3_000_000, share=60), Payer("Fonds", 3_000, share=40)]
    split = outcomes.by_payer(owed, fixed)
    # The fund owes 2,000 a quarter; its 3,000 committed cover 2,000 then 1,000.
    assert split[["payer", "amount", "unfunded"]].values.tolist() == [
        ["État", 3_000, 0],
        ["Fonds", 2_000, 0],
        ["État", 3_000, 0],
        ["Fonds", 1_000, 1_000],
    ]


def test_the_ledger_sets_paid_against_due_and_keeps_other_payments_apart() -> None:
    owed = pd.DataFrame(
        {
            "period": [Q1, Q1, Q2, Q2],
            "outcome": ["emploi"] * 4,
            "payer": ["État", "Fonds", "État", "Fonds"],
            "amount": [7_500.0, 2_500.0, 7_500.0, 2_500.0],
        }
    )
    payments = pd.DataFrame(
        {
            "date": [dt.date(2025, m, 15) for m in (4, 7, 8, 5)],
            "payer": ["État", "Fonds", "État", "Fonds"],
            "amount": [15_000.0, 4_000.0, 0.0, 1_500.0],
            "nature": ["outcome", "outcome", None, "other"],  # None: an outcome payment
        }
    )
    table, other = outcomes.ledger(owed, payments)
    assert table.values.tolist() == [
        ["État", 15_000, 15_000, 0],
        ["Fonds", 5_000, 4_000, -1_000],  # 1,000 short; the support payment is no outcome
    ]
    assert other[["payer", "amount"]].values.tolist() == [["Fonds", 1_500]]


def test_the_ledger_per_outcome_counts_a_payment_naming_none_apart() -> None:
    """Due: 10,000 for "emploi", 4,000 for "logement". Paid: 9,000 naming "emploi", 3,000
    naming no outcome, a support payment of 500 (no outcome payment at all)."""
    owed = pd.DataFrame(
        {
            "period": [Q1, Q1, Q2],
            "outcome": ["emploi", "logement", "emploi"],
            "amount": [6_000.0, 4_000.0, 4_000.0],
        }
    )
    payments = pd.DataFrame(
        {
            "date": [dt.date(2025, 4, 15), dt.date(2025, 7, 15), dt.date(2025, 5, 1)],
            "payer": ["État", "État", "Fonds"],
            "outcome": ["emploi", None, "logement"],
            "amount": [9_000.0, 3_000.0, 500.0],
            "nature": ["outcome", "outcome", "other"],
        }
    )
    table, other = outcomes.ledger(owed, payments, by="outcome")
    assert table.values.tolist() == [
        ["emploi", 10_000, 9_000, -1_000],
        ["logement", 4_000, 0, -4_000],
        ["", 0, 3_000, 3_000],  # paid, for no outcome named
    ]
    assert other["amount"].tolist() == [500]


def test_capital_drawn_in_three_tranches_over_two_years_and_its_return() -> None:
    draws = [
        Draw("Banque", "equity", "senior", 300_000, dt.date(2023, 1, 1), 100_000),
        Draw("Banque", "equity", "senior", 300_000, dt.date(2023, 7, 1), 100_000),
        Draw("Banque", "equity", "senior", 300_000, dt.date(2024, 1, 1), 100_000),
    ]
    paid = pd.DataFrame({"date": [dt.date(2025, 1, 1)], "amount": [330_000.0]})
    flows = outcomes.waterfall(draws, paid, end=dt.date(2025, 1, 1), return_cap=20)
    assert flows["amount"].tolist() == [-100_000, -100_000, -100_000, 330_000]
    rate = outcomes.irr(flows)
    assert rate is not None

    # By hand: the rate r that brings every flow to 2025-01-01 at zero, days over 365:
    # 330,000 = 100,000 x [(1+r)^(731/365) + (1+r)^(550/365) + (1+r)^(366/365)]
    def gap(r: float) -> float:
        return 330_000 - 100_000 * sum((1 + r) ** (d / 365) for d in (731, 550, 366))

    assert abs(gap(rate)) < 1  # one euro on 330,000
    # The same formula at 6 % and 7 % brackets it: the capital came back with about 6.6 %.
    assert gap(0.06) > 0 > gap(0.07) and 0.06 < rate < 0.07
    # A single draw paid back 1.21 times two years later (731 days): 1.21^(365/731) - 1.
    simple = pd.DataFrame(
        {"date": [dt.date(2023, 1, 1), dt.date(2025, 1, 1)], "amount": [-100.0, 121.0]}
    )
    assert outcomes.irr(simple) == pytest.approx(1.21 ** (365 / 731) - 1, abs=1e-6)


def test_a_senior_loan_under_a_guarantee_with_no_outcome_paid() -> None:
    start, end = dt.date(2022, 1, 1), dt.date(2026, 12, 31)
    draws = [
        Draw("Banque", "loan", "senior", 1_000_000, start, 1_000_000),
        Draw("Fondation", "equity", "subordinate", 200_000, start, 200_000),
        Draw("Garant", "guarantee", "senior", 500_000, start),
    ]
    nothing = pd.DataFrame({"date": [], "amount": []})
    flows = outcomes.waterfall(draws, nothing, end=end, return_cap=5)
    net = flows.groupby("investor")["amount"].sum().to_dict()
    # The bank loses only what the guarantee does not cover; the guarantor pays the rest;
    # the subordinate investor loses everything.
    assert net == {"Banque": -500_000, "Fondation": -200_000, "Garant": -500_000}
    # A guarantor on two rows (its promise restated) covers its 500,000 once, not twice.
    again = outcomes.waterfall([*draws, draws[2]], nothing, end=end, return_cap=5)
    assert again.groupby("investor")["amount"].sum().to_dict() == net
    bank = flows[flows["investor"] == "Banque"]
    # -1,000,000 then +500,000 1,825 days later: 0.5^(365/1825) - 1 = 0.5^0.2 - 1
    assert outcomes.irr(bank) == pytest.approx(0.5**0.2 - 1, abs=1e-6)
    assert outcomes.irr(flows[flows["investor"] == "Fondation"]) is None  # nothing back


def test_payments_go_to_the_senior_tranche_first_then_the_subordinate() -> None:
    start = dt.date(2020, 1, 1)
    draws = [
        Draw("Banque", "loan", "senior", 600, start, 600),
        Draw("Fonds A", "equity", "subordinate", 300, start, 300),
        Draw("Fonds B", "equity", "subordinate", 100, start, 100),
    ]
    paid = pd.DataFrame(
        {"date": [dt.date(2021, 1, 1), dt.date(2022, 1, 1)], "amount": [500.0, 400.0]}
    )
    flows = outcomes.waterfall(draws, paid, end=dt.date(2022, 1, 1))
    back = flows[flows["flow"] == "distribution"]
    # Without a return cap, the senior tranche gets its 600 back at most: 500, then 100; the
    # 300 left go to the subordinate tranche, 3/4 and 1/4 (their capital drawn).
    assert back[["investor", "amount"]].values.tolist() == [
        ["Banque", 500],
        ["Banque", 100],
        ["Fonds A", 225],
        ["Fonds B", 75],
    ]


def test_each_tranche_s_capital_drawn_came_back_was_covered_or_was_lost() -> None:
    flows = pd.DataFrame(
        {
            "investor": ["Banque", "Fonds", "Garant", "Banque", "Banque"],
            "tranche": ["senior", "subordinate", "senior", "senior", "senior"],
            "kind": ["loan", "equity", "guarantee", "loan", "loan"],
            "flow": ["draw", "draw", "guarantee", "distribution", "guarantee"],
            "amount": [-300.0, -100.0, -100.0, 120.0, 100.0],
        }
    )
    # senior: 300 drawn, 120 back, 100 covered (the guarantor's own -100 is no tranche's),
    # 300 - 120 - 100 = 80 lost; subordinate: 100 drawn, nothing back, all lost.
    assert outcomes.tranche_totals(flows).values.tolist() == [
        ["senior", 300.0, 120.0, 100.0, 80.0],
        ["subordinate", 100.0, 0.0, 0.0, 100.0],
    ]
    # More back than drawn (the return): nothing lost.
    gained = flows.iloc[[0, 3]].assign(amount=[-300.0, 330.0])
    assert outcomes.tranche_totals(gained).values.tolist() == [["senior", 300.0, 330.0, 0.0, 0.0]]
    assert outcomes.tranche_totals(flows.iloc[[2]]).empty  # a guarantor's own flow only


def test_a_capped_return_is_the_balance_growing_at_the_cap_from_each_draw() -> None:
    start, paid_on = dt.date(2020, 1, 1), dt.date(2022, 1, 1)  # 731 days: 2.00137 years
    draws = [
        Draw("Banque", "loan", "senior", 100, start, 100),
        Draw("Fonds", "equity", "subordinate", 50, start, 50),
    ]
    paid = pd.DataFrame({"date": [paid_on], "amount": [200.0]})
    flows = outcomes.waterfall(draws, paid, end=paid_on, return_cap=10)
    back = flows[flows["flow"] == "distribution"].set_index("investor")["amount"]
    grown = 1.1 ** (731 / 365.25)  # 10 % a year over the actual days
    assert back["Banque"] == round(100 * grown, 2) == 121.02
    assert back["Fonds"] == round(50 * grown, 2) == 60.51  # capped too; 18.47 stays unpaid
    # The senior's IRR is the cap, up to the cent and XIRR's years of 365 days:
    # (121.02 / 100)^(365 / 731) - 1 = 9.995 %.
    bank = flows[flows["investor"] == "Banque"]
    assert outcomes.irr(bank) == pytest.approx(1.2102 ** (365 / 731) - 1, abs=1e-6)


def test_money_is_split_to_the_cent_and_the_parts_add_up_to_the_whole() -> None:
    """Largest remainder: 100.00 between three equal payers is 33.34 + 33.33 + 33.33; rounding
    each part on its own would give 99.99. Over many periods, a payer's parts add up to its
    share of everything due, to the cent."""
    assert outcomes.split(100, {"a": 1, "b": 1, "c": 1}) == {"a": 33.34, "b": 33.33, "c": 33.33}
    assert outcomes.split(0.05, {"a": 2, "b": 1}) == {"a": 0.03, "b": 0.02}
    assert outcomes.split(10, {"a": 0, "b": 0}) == {"a": 0.0, "b": 0.0}
    equal = [Payer(name, 1_000) for name in ("A", "B", "C")]
    owed = pd.DataFrame(
        {"period": [f"2024-Q{q}" for q in (1, 2, 3, 4)] * 2, "outcome": ["o"] * 8}
    ).assign(amount=100.0)
    totals = outcomes.by_payer(owed, equal).groupby("payer")["amount"].sum()
    # 800.00 in all: 266.67 + 266.67 + 266.66, never 266.64 each (8 × 33.33).
    assert totals.round(2).to_dict() == {"A": 266.67, "B": 266.67, "C": 266.66}


def test_payers_owed_their_whole_commitments_get_them_exactly() -> None:
    """Nine payers committing 3,241,776 in all, the whole of it due over 16 quarters: each is
    owed its commitment to the cent, nothing is unfunded, nothing belongs to nobody (rounding
    each payer's share to a millionth left councils 230,399.50 and 4.49 to no one)."""
    commitments = [230_400, 412_345, 298_765, 511_111, 333_333, 444_444, 222_222, 389_156, 400_000]
    payers = [Payer(f"Payeur {i}", c) for i, c in enumerate(commitments)]
    total = sum(commitments)
    assert total == 3_241_776
    quarters = [f"{2020 + q // 4}-Q{q % 4 + 1}" for q in range(16)]
    amounts = [round(total * w / 136, 2) for w in range(1, 17)]  # 1 + 2 + … + 16 = 136
    amounts[-1] = round(total - sum(amounts[:-1]), 2)
    owed = pd.DataFrame({"period": quarters, "outcome": "o", "amount": amounts})
    split = outcomes.by_payer(owed, payers)
    paid = split.groupby("payer", sort=False)["amount"].sum().round(2)
    assert paid.tolist() == commitments
    assert split["unfunded"].abs().sum() == 0
    assert round(split["amount"].sum(), 2) == total


def test_a_surplus_goes_where_the_contract_says_and_no_cent_is_lost() -> None:
    """A health bond repaid with interest: 1,000 lent senior (no subordinate tranche, no return
    cap), 1,300 of outcome payments a year later. The senior tranche gets its 1,000 back; the
    300 left go, by the contract, to the investors (the default without a cap: the lender's IRR
    is then 1,300 / 1,000 over 366 days, not 0), to the provider, or stay with the payers."""
    start, paid_on = dt.date(2023, 1, 1), dt.date(2024, 1, 2)  # 366 days
    draws = [Draw("Banque", "loan", "senior", 1_000, start, 1_000)]
    paid = pd.DataFrame({"date": [paid_on], "amount": [1_300.0]})
    to_investors = outcomes.waterfall(draws, paid, end=paid_on)
    assert to_investors[["investor", "flow", "amount"]].values.tolist() == [
        ["Banque", "draw", -1_000],
        ["Banque", "distribution", 1_000],
        ["Banque", "surplus", 300],
    ]
    assert outcomes.irr(to_investors) == pytest.approx(1.3 ** (365 / 366) - 1, abs=1e-6)
    for to in ("provider", "payers"):
        flows = outcomes.waterfall(draws, paid, end=paid_on, surplus=to)
        assert flows[["investor", "kind", "flow", "amount"]].values.tolist()[1:] == [
            ["Banque", "loan", "distribution", 1_000],
            ["", to, "surplus", 300],
        ]
        assert outcomes.irr(outcomes.invested(flows)) == 0  # its capital back, no more
        assert outcomes.investor_totals(flows)["investor"].tolist() == ["Banque"]
    # Two investors share a surplus pro rata to all the capital they drew, to the cent: 100.00
    # over 1 + 2 (senior) and 0 subordinate paid off: 33.33 and 66.67.
    two = [
        Draw("A", "loan", "senior", 1, start, 1),
        Draw("B", "equity", "subordinate", 2, start, 2),
    ]
    capped = outcomes.waterfall(
        two,
        pd.DataFrame({"date": [start], "amount": [103.0]}),
        end=start,
        return_cap=0,
        surplus="investors",
    )
    surplus = capped[capped["flow"] == "surplus"].set_index("investor")["amount"].to_dict()
    assert surplus == {"A": 33.33, "B": 66.67}


@st.composite
def contracts(draw: st.DrawFn) -> tuple[list[Draw], pd.DataFrame, float | None, str, Any]:
    """A random contract's investors (1 to 4 draws, each a loan, equity, grant or guarantee in
    either tranche, with or without a cap and a bonus) and 0 to 6 outcome payments, in cents,
    over four years; the payments recycled up to a day or not, a provider's share or not."""
    day = st.dates(dt.date(2020, 1, 1), dt.date(2023, 12, 31))
    cents = st.integers(1, 50_000_000).map(lambda c: c / 100)
    investors = draw(
        st.lists(
            st.builds(
                Draw,
                st.sampled_from(["A", "B", "C"]),
                st.sampled_from(["loan", "equity", "grant", "guarantee"]),
                st.sampled_from(["senior", "subordinate"]),
                cents,
                day,
                cents,
                st.one_of(st.none(), st.floats(0, 30)),
                st.one_of(st.none(), cents),
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda d: (d.investor, d.tranche),
        )
    )
    payments = draw(st.lists(st.tuples(day, cents), max_size=6))
    paid = pd.DataFrame(payments, columns=["date", "amount"])
    cap = draw(st.one_of(st.none(), st.floats(0, 25)))
    rules = {
        "provider_share": draw(st.one_of(st.none(), st.floats(0, 100))),
        "recycle_until": draw(st.one_of(st.none(), day)),
    }
    return investors, paid, cap, draw(st.sampled_from(["investors", "provider", "payers"])), rules


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(contracts())
def test_every_cent_paid_is_distributed_or_kept_never_lost_nor_made(
    contract: tuple[list[Draw], pd.DataFrame, float | None, str, Any],
) -> None:
    draws, paid, cap, to, rules = contract
    end = dt.date(2024, 12, 31)
    flows = outcomes.waterfall(draws, paid, end=end, return_cap=cap, surplus=to, **rules)
    back = flows[flows["flow"].isin(["distribution", "surplus", "recycled", "return_share"])]
    assert round(back["amount"].sum() * 100) == round(paid["amount"].sum() * 100)
    assert (back["amount"] > 0).all() and (back["amount"] * 100).round(6).mod(1).eq(0).all()
    # A guarantee's cover is paid by its guarantor, cent for cent.
    cover = flows[flows["flow"] == "guarantee"]
    assert round(cover["amount"].sum() * 100) == 0


def test_the_debt_and_the_equity_of_one_bond_capped_differently() -> None:
    """Both senior, drawn 100 each on 1 January 2020: the loan capped at 5 % a year, the equity
    at 10 %; 300 paid on 1 January 2022 (731 days, 2.00137 years). Pro rata, 150 each; each
    is paid its balance and no more: 100 × 1.05^2.00137 = 110.26 and 100 × 1.1^2.00137 =
    121.02; the 68.72 left stay with the payers (a cap applies: the default)."""
    start, paid_on = dt.date(2020, 1, 1), dt.date(2022, 1, 1)
    draws = [
        Draw("Banque", "loan", "senior", 100, start, 100, return_cap=5),
        Draw("Fonds", "equity", "senior", 100, start, 100, return_cap=10),
    ]
    paid = pd.DataFrame({"date": [paid_on], "amount": [300.0]})
    flows = outcomes.waterfall(draws, paid, end=paid_on)
    back = flows[flows["flow"] != "draw"][["investor", "kind", "flow", "amount"]]
    assert back.values.tolist() == [
        ["Banque", "loan", "distribution", 110.26],
        ["Fonds", "equity", "distribution", 121.02],
        ["", "payers", "surplus", 68.72],
    ]
    # 200 paid instead: 100 each by capital, both under their balances.
    less = outcomes.waterfall(draws, paid.assign(amount=[200.0]), end=paid_on)
    assert less.loc[less["flow"] == "distribution", "amount"].tolist() == [100, 100]
    # 230: 115 each would take the loan past its 110.26; the 4.74 it leaves go to the equity
    # (119.74, under its 121.02): nothing left over.
    more = outcomes.waterfall(draws, paid.assign(amount=[230.0]), end=paid_on)
    assert more.loc[more["flow"] != "draw", "amount"].tolist() == [110.26, 119.74]


def test_interest_then_a_bonus_without_a_cap_on_the_return() -> None:
    """A loan of 1,000 (senior) drawn on 1 January 2020 at 10 % interest a year, with a bonus
    of 50 once capital and interest are paid; the contract caps no return. Two payments of 600
    on 1 January 2021 (366 days): its balance is then 1,000 × 1.1^(366/365.25) = 1,100.22.
    The first 600 goes to it (500.22 left); of the second, 500.22 then the bonus 50 (550.22);
    the 49.78 left stay with the payers (a bonus says what the investor may receive)."""
    start, paid_on = dt.date(2020, 1, 1), dt.date(2021, 1, 1)
    draws = [Draw("Banque", "loan", "senior", 1_000, start, 1_000, return_cap=10, bonus=50)]
    paid = pd.DataFrame({"date": [paid_on, paid_on], "amount": [600.0, 600.0]})
    flows = outcomes.waterfall(draws, paid, end=paid_on)
    assert flows[["investor", "kind", "flow", "amount"]].values.tolist()[1:] == [
        ["Banque", "loan", "distribution", 600],
        ["Banque", "loan", "distribution", 550.22],
        ["", "payers", "surplus", 49.78],
    ]
    # No interest at all: its capital, then the bonus, and no more (1,200 paid: 150 kept).
    plain = [Draw("Banque", "loan", "senior", 1_000, start, 1_000, bonus=50)]
    once = outcomes.waterfall(plain, paid.iloc[:1].assign(amount=[1_200.0]), end=paid_on)
    assert once["amount"].tolist() == [-1_000, 1_050, 150]


def test_payments_recycled_as_working_capital_reach_no_investor() -> None:
    """1,000 of equity drawn on 1 January 2020; outcome payments of 400 on 30 June and 400 on
    31 December 2020 are re-lent to the provider (the contract recycles until 31 December);
    the 1,500 of 30 June 2021 reach the investor: its 1,000 back, and the 500 left as surplus
    (no cap: to the investors). 2,300 received: 800 recycled + 1,500 distributed."""
    start = dt.date(2020, 1, 1)
    draws = [Draw("Fonds", "equity", "senior", 1_000, start, 1_000)]
    days = [dt.date(2020, 6, 30), dt.date(2020, 12, 31), dt.date(2021, 6, 30)]
    paid = pd.DataFrame({"date": days, "amount": [400.0, 400.0, 1_500.0]})
    flows = outcomes.waterfall(draws, paid, end=days[-1], recycle_until=dt.date(2020, 12, 31))
    assert flows[["investor", "kind", "flow", "amount"]].values.tolist()[1:] == [
        ["", "provider", "recycled", 400],
        ["", "provider", "recycled", 400],
        ["Fonds", "equity", "distribution", 1_000],
        ["Fonds", "equity", "surplus", 500],
    ]
    assert outcomes.investor_totals(flows)["came_back"].tolist() == [1_500]
    assert outcomes.provider_received(flows) == {"recycled": 800, "return_share": 0}


def test_the_providers_share_of_the_investors_return() -> None:
    """A senior loan of 1,000 and subordinate equity of 500, no cap, 2,000 paid: the loan gets
    its 1,000 back (no return), the equity the 1,000 left: 500 of capital and 500 of return.
    The provider's share, 20 % of the return, is 100, taken from the equity's: 900 to it."""
    start, paid_on = dt.date(2020, 1, 1), dt.date(2022, 1, 1)
    draws = [
        Draw("Banque", "loan", "senior", 1_000, start, 1_000),
        Draw("Fonds", "equity", "subordinate", 500, start, 500),
    ]
    paid = pd.DataFrame({"date": [paid_on], "amount": [2_000.0]})
    flows = outcomes.waterfall(draws, paid, end=paid_on, provider_share=20)
    assert flows[["investor", "flow", "amount"]].values.tolist()[2:] == [
        ["Banque", "distribution", 1_000],
        ["Fonds", "distribution", 900],
        ["", "return_share", 100],
    ]
    # A surplus to the investors is return too: a loan alone, 1,300 paid, 25 %: 75 of 300.
    alone = outcomes.waterfall(
        draws[:1], paid.assign(amount=[1_300.0]), end=paid_on, provider_share=25
    )
    assert alone["amount"].tolist() == [-1_000, 1_000, 225, 75]
    assert outcomes.provider_received(alone) == {"recycled": 0, "return_share": 75}


def test_an_outcome_fund_tops_up_one_outcome_only() -> None:
    """The department pays 70 % of "emploi" and all of "logement"; a fund the other 30 % of
    "emploi" only. Due: emploi 10,000 then 5,000, logement 4,000. Hand-computed: the fund
    3,000 + 1,500 = 4,500; the department 7,000 + 3,500 + 4,000 = 14,500; 19,000 in all."""
    due = pd.DataFrame(
        {
            "period": ["2024-Q1", "2024-Q1", "2024-Q2"],
            "outcome": ["emploi", "logement", "emploi"],
            "amount": [10_000.0, 4_000.0, 5_000.0],
        }
    )
    payers = [
        Payer("Département", 1_000_000, 70, outcome="emploi"),
        Payer("Fonds", 100_000, 30, outcome="emploi"),
        Payer("Département", 1_000_000),
    ]
    split = outcomes.by_payer(due, payers)
    assert split[["period", "outcome", "payer", "amount"]].values.tolist() == [
        ["2024-Q1", "emploi", "Département", 7_000],
        ["2024-Q1", "emploi", "Fonds", 3_000],
        ["2024-Q1", "logement", "Département", 4_000],
        ["2024-Q2", "emploi", "Département", 3_500],
        ["2024-Q2", "emploi", "Fonds", 1_500],
    ]
    assert split.groupby("payer")["amount"].sum().to_dict() == {
        "Département": 14_500,
        "Fonds": 4_500,
    }
    # An outcome no row shares, with no row naming none: said unfunded, not lost.
    only = outcomes.by_payer(due, payers[:2])
    assert only.loc[only["outcome"] == "logement", ["payer", "unfunded"]].values.tolist() == [
        ["", 4_000]
    ]


def test_a_payers_commitment_is_used_up_in_the_order_of_the_periods() -> None:
    """The department (10,000 committed) pays 70 % of "emploi" and all of "logement". Due:
    logement 4,000 in Q1, emploi 10,000 in Q2, logement 4,000 in Q3. Hand-computed, by date:
    Q1 4,000 paid (6,000 left), Q2 6,000 paid and 1,000 unfunded, Q3 4,000 unfunded; taking
    "emploi" first, then "logement", would say Q1's logement 1,000 short instead of Q2."""
    due = pd.DataFrame(
        {
            "period": ["2024-Q1", "2024-Q2", "2024-Q3"],
            "outcome": ["logement", "emploi", "logement"],
            "amount": [4_000.0, 10_000.0, 4_000.0],
        }
    )
    payers = [
        Payer("Département", 10_000, 70, outcome="emploi"),
        Payer("Fonds", 100_000, 30, outcome="emploi"),
        Payer("Département", 10_000),
    ]
    split = outcomes.by_payer(due, payers)
    assert split[["period", "payer", "amount", "unfunded"]].values.tolist() == [
        ["2024-Q1", "Département", 4_000, 0],
        ["2024-Q2", "Département", 6_000, 1_000],
        ["2024-Q2", "Fonds", 3_000, 0],
        ["2024-Q3", "Département", 0, 4_000],
    ]


def test_a_price_that_changes_from_a_date_applies_until_the_next() -> None:
    """1,000 a job until 2024, 1,200 from 1 January 2025 (the renegotiated card). Hand-computed:
    10 jobs in Q4 2024 (10,000), 10 in Q1 2025 (12,000); with the 2025 price alone, nothing is
    due for 2024 (no price in effect yet)."""
    card = [
        Price("emplois", "count", 1_000),
        Price("emplois", "count", 1_200, since=dt.date(2025, 1, 1)),
    ]
    done = achieved(
        [
            (dt.date(2024, 12, 31), "emplois", 10, None),
            (dt.date(2025, 3, 31), "emplois", 10, None),
        ]
    )
    assert outcomes.due(card, done)["amount"].tolist() == [10_000, 12_000]
    before = outcomes.due([Price("emplois", "count", 1_200, since=dt.date(2025, 1, 1))], done)
    assert before["amount"].tolist() == [0, 12_000] and before["price"].isna().tolist() == [
        True,
        False,
    ]


def test_a_renegotiated_card_replaces_the_outcomes_tiers_and_caps() -> None:
    """Until 2024: 5 % pays 100, 10 % pays 200; from 2025: 5 % pays 120, 15 % pays 250. A gain
    of 12 % in 2025 reaches the new card's 5 % tier only: 10 units x 120 = 1,200 (the old 10 %
    tier no longer pays)."""
    card = [
        Price("baisse", "improvement", 100, threshold=5),
        Price("baisse", "improvement", 200, threshold=10),
        Price("baisse", "improvement", 120, threshold=5, since=dt.date(2025, 1, 1)),
        Price("baisse", "improvement", 250, threshold=15, since=dt.date(2025, 1, 1)),
    ]
    done = achieved([(dt.date(2025, 12, 31), "baisse", 10, 0.12)])
    assert outcomes.due(card, done)[["price", "amount"]].values.tolist() == [[120, 1_200]]
