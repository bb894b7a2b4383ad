"""Property: over random decisions, tariffs and lines the shares reconcile to the cent (T-02,
T-03, S-04) and none is negative, whatever the verdict."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.values import Money
from tariffing.pricing.rules import TariffTerms

from .builders import CARE_DAY, cover, decision, price, tariff

levels = st.sampled_from(["NOTHING", "FULL", "PARTIAL"])
percentages = st.sampled_from([0, 50, 100])
money = st.integers(min_value=0, max_value=500_000).map(lambda c: Money(Decimal(c).scaleb(-2)))
optional_money = st.one_of(st.none(), money)


@st.composite
def tariffs(draw: st.DrawFn) -> TariffTerms:
    fee = draw(money)
    reimbursement = draw(st.integers(min_value=0, max_value=int(fee * 100)))
    return tariff(str(fee), str(Decimal(reimbursement).scaleb(-2)), valid_from=date(2024, 1, 1))


@st.composite
def decisions(draw: st.DrawFn) -> DecisionVersionPublished:
    ocmw_pays: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {"insurance_part": levels, "patient_share": levels, "supplements": levels}
        )
    )
    return decision(
        insurance_part_pct=draw(percentages),
        patient_share_pct=draw(percentages),
        category=draw(st.sampled_from(["no_legal_residence", "insured_needy"])),
        preferential_reimbursement=draw(st.booleans()),
        court_decision=draw(st.booleans()),
        status=draw(st.sampled_from(["active", "active", "suspended", "stopped"])),
        decision_date=CARE_DAY + timedelta(days=draw(st.integers(min_value=-30, max_value=120))),
        coverages=[
            cover(
                ocmw_pays=ocmw_pays,
                patient_share_monthly_cap=draw(optional_money),
                supplements_max=draw(optional_money),
            )
        ],
    )


@settings(max_examples=300, deadline=None)
@given(
    terms=tariffs(),
    covering=decisions(),
    amount=optional_money,
    paid_this_month=money,
    days_before=st.integers(min_value=-2, max_value=120),
)
def test_t02_t03_the_shares_reconcile_to_the_cent_and_are_never_negative(
    terms: TariffTerms,
    covering: DecisionVersionPublished,
    amount: Money | None,
    paid_this_month: Money,
    days_before: int,
) -> None:
    line = price(
        [covering],
        tariffs=[terms],
        amount=None if amount is None else str(amount),
        on=CARE_DAY - timedelta(days=days_before),
        paid_this_month=str(paid_this_month),
    )

    billed = terms.fee if amount is None else amount
    parts = (line.state_share, line.ocmw_share, line.patient_share, line.health_fund_share)
    assert sum(parts) == billed
    assert all(part >= 0 for part in parts)
    assert all(part.as_tuple().exponent == -2 for part in parts)
    assert line.state_share <= min(billed, terms.fee)
    assert Decimal(0) <= line.ocmw_copayment <= line.ocmw_share
    if not line.accepted:
        assert line.refusal is not None
        assert (line.state_share, line.ocmw_share) == (0, 0)
