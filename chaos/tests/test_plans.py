"""The seed decides the load and the faults; every fault strikes while the load flows."""

from collections import Counter

from chaos.faults import BROKER, DATABASE, fault_plan
from chaos.plan import CARE_DAYS, load_plan
from servicekit.registry import service_names


def test_the_same_seed_plans_the_same_load_and_another_seed_another() -> None:
    assert load_plan(7, 300) == load_plan(7, 300)
    assert load_plan(7, 300) != load_plan(8, 300)


def test_the_load_has_the_invoices_asked_for_each_care_billed_once_unless_billed_again() -> None:
    plan = load_plan(11, 2_000)
    assert plan.invoices == 2_000
    for person in plan.people:
        cares = Counter(
            (line.days_ago, line.code) for invoice in person.invoices for line in invoice.lines
        )
        billed_again = sum(invoice.bills_again for invoice in person.invoices)
        assert sum(count - 1 for count in cares.values()) <= billed_again
        assert all(0 <= days <= CARE_DAYS for days, _code in cares)
    assert any(invoice.bills_again for person in plan.people for invoice in person.invoices)


def test_every_service_is_killed_and_broker_and_database_restart_once_during_the_load() -> None:
    faults = fault_plan(3, 200, kills_per_service=2)
    targets = Counter(fault.target for fault in faults)
    assert targets == {**dict.fromkeys(service_names(), 2), BROKER: 1, DATABASE: 1}
    assert all(0 < fault.at_invoices < 200 for fault in faults)
    assert [fault.at_invoices for fault in faults] == sorted(f.at_invoices for f in faults)
    assert fault_plan(3, 200, kills_per_service=2) == faults
