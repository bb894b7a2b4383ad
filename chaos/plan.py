"""What a seed decides before anything runs: the OCMWs, GPs and people, each person's decision,
invoices and lines, which decisions are extended, which care a GP bills twice, and (faults.py)
when each fault strikes. The same seed gives the same plan."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from bench.seed.identities import gp_riziv, ocmw_nis, ocmw_number, person_ssin

CODES = ("101032", "102771", "103132")  # consultation, GMD, home visit: a GP's day
CARE_DAYS = 20  # care in the last 20 days: inside every decision, never in the future
INVOICES_PER_PERSON = (1, 7)
LINES_PER_INVOICE = (1, 3)
EXTENDED_SHARE = 0.25  # decisions extended while their invoices flow
DOUBLE_BILLED_SHARE = 0.03  # invoices that bill a care of an earlier invoice again (I-02)


@dataclass(frozen=True)
class LinePlan:
    line_number: int
    days_ago: int
    code: str


@dataclass(frozen=True)
class InvoicePlan:
    idempotency_key: str
    lines: tuple[LinePlan, ...]
    bills_again: bool  # one line repeats a care already billed on an earlier invoice


@dataclass(frozen=True)
class PersonPlan:
    index: int
    ssin: str
    ocmw: str
    ocmw_nis: str
    gp: str
    invoices: tuple[InvoicePlan, ...]
    extend_after: int | None  # extend the decision after this many invoices


@dataclass(frozen=True)
class LoadPlan:
    seed: int
    people: tuple[PersonPlan, ...]

    @property
    def invoices(self) -> int:
        return sum(len(person.invoices) for person in self.people)

    @property
    def ocmws(self) -> set[str]:
        return {person.ocmw for person in self.people}

    @property
    def gps(self) -> set[str]:
        return {person.gp for person in self.people}


def load_plan(seed: int, invoices: int) -> LoadPlan:
    rng = random.Random(seed)
    ocmw_count = max(3, invoices // 200)
    gp_count = max(4, invoices // 80)
    # a seed's people are its own: runs against the same servers never share a person
    first_person = rng.randrange(1_000_000)
    people: list[PersonPlan] = []
    left = invoices
    while left > 0:
        count = min(left, rng.randint(*INVOICES_PER_PERSON))
        left -= count
        index = len(people)
        ocmw = rng.randrange(ocmw_count)
        people.append(
            PersonPlan(
                index=index,
                ssin=person_ssin(first_person + index),
                ocmw=ocmw_number(ocmw),
                ocmw_nis=ocmw_nis(ocmw),
                gp=gp_riziv(rng.randrange(gp_count)),
                invoices=_invoices(rng, count),
                extend_after=rng.randrange(count + 1) if rng.random() < EXTENDED_SHARE else None,
            )
        )
    return LoadPlan(seed=seed, people=tuple(people))


def _invoices(rng: random.Random, count: int) -> tuple[InvoicePlan, ...]:
    cares = [(days, code) for days in range(CARE_DAYS + 1) for code in CODES]
    rng.shuffle(cares)
    billed: list[tuple[int, str]] = []
    plans = []
    for _ in range(count):
        size = rng.randint(*LINES_PER_INVOICE)
        chosen = [cares.pop() for _ in range(size)]
        again = bool(billed) and rng.random() < DOUBLE_BILLED_SHARE
        if again:
            chosen[0] = rng.choice(billed)
        billed.extend(chosen)
        plans.append(
            InvoicePlan(
                idempotency_key=str(uuid.UUID(int=rng.getrandbits(128))),
                lines=tuple(
                    LinePlan(line_number=number, days_ago=days, code=code)
                    for number, (days, code) in enumerate(chosen, start=1)
                ),
                bills_again=again,
            )
        )
    return tuple(plans)
