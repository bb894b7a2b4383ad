"""The load: OCMW software files each person's decision and extends some, GP software consults,
asks for a pricing simulation and submits the person's invoices, all over the public APIs,
several people at a time, through every fault. What was sent and answered is kept in `Sent`,
the expectation the invariants check the platform against."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from chaos.client import RetryingClient, UnexpectedAnswerError, body_of
from chaos.plan import CODES, InvoicePlan, LoadPlan, PersonPlan
from mediprima_contracts.testing import decision_request_body
from servicekit.auth import Role

PEOPLE_AT_ONCE = 64
# Events reach consultation's and tariffing's read models a moment after the registry answers;
# with a service or the broker down, much later.
READ_MODEL_PATIENCE_SECONDS = 300.0
DECISION_DAYS_BEFORE, DECISION_DAYS_AFTER = 30, 60
EXTENSION_DAYS = 30

Headers = Callable[[Role, str], dict[str, str]]


@dataclass(frozen=True)
class SentInvoice:
    invoice_id: str
    person: PersonPlan
    plan: InvoicePlan
    amounts: dict[int, Decimal]  # line number → amount billed


@dataclass
class Sent:
    """What the generator did and the platform answered."""

    decisions: dict[str, str] = field(default_factory=dict)  # ssin → decision number
    versions: dict[str, int] = field(default_factory=dict)  # decision number → versions filed
    invoices: list[SentInvoice] = field(default_factory=list)
    consultations: int = 0
    simulations: int = 0
    progress: asyncio.Event = field(default_factory=asyncio.Event)

    def invoice_sent(self, invoice: SentInvoice) -> None:
        self.invoices.append(invoice)
        self.progress.set()  # wakes the fault schedule, which waits on the count


@dataclass
class Generator:
    plan: LoadPlan
    client: RetryingClient
    headers: Headers
    today: date
    sent: Sent = field(default_factory=Sent)

    async def run(self) -> Sent:
        slots = asyncio.Semaphore(PEOPLE_AT_ONCE)

        async def one(person: PersonPlan) -> None:
            async with slots:
                await self.person_story(person)

        await asyncio.gather(*(one(person) for person in self.plan.people))
        return self.sent

    async def person_story(self, person: PersonPlan) -> None:
        number = await self.file_decision(person)
        await self.consult(person)
        fees = await self.simulate(person)
        for count, invoice in enumerate(person.invoices):
            if person.extend_after == count:
                await self.extend(person, number)
            await self.submit(person, invoice, fees)
        if person.extend_after == len(person.invoices):
            await self.extend(person, number)

    def _ocmw(self, person: PersonPlan) -> dict[str, str]:
        return self.headers(Role.OCMW, person.ocmw)

    def _gp(self, person: PersonPlan) -> dict[str, str]:
        return self.headers(Role.GP, person.gp)

    async def file_decision(self, person: PersonPlan) -> str:
        body = decision_request_body(
            today=self.today,
            ssin=person.ssin,
            ocmw=person.ocmw,
            municipality_nis=person.ocmw_nis,
            days_before=DECISION_DAYS_BEFORE,
            days_after=DECISION_DAYS_AFTER,
        )
        answer = await self.client.call(
            "decision-registry", "POST", "/v1/decisions", json=body, headers=self._ocmw(person)
        )
        if answer.status_code == 422 and _codes(answer.json()) == {"decision.overlaps_own"}:
            # an earlier try landed and its answer was lost: the decision is there
            number = await self._decision_of(person)
        else:
            number = str(body_of(answer, 201)["decision_number"])
        self.sent.decisions[person.ssin] = number
        self.sent.versions[number] = 1
        return number

    async def _decision_of(self, person: PersonPlan) -> str:
        answer = await self.client.call(
            "decision-registry",
            "GET",
            "/v1/decisions",
            params={"ssin": person.ssin},
            headers=self._ocmw(person),
        )
        found = answer.json() if answer.status_code == 200 else []
        if len(found) != 1:
            raise UnexpectedAnswerError(f"expected one decision, found {answer.text[:500]}")
        return str(found[0]["decision_number"])

    async def extend(self, person: PersonPlan, number: str) -> None:
        path = f"/v1/decisions/{number}"
        current = await self.client.expect(
            200, "decision-registry", "GET", path, headers=self._ocmw(person)
        )
        end = date.fromisoformat(current["period"]["end"]) + timedelta(days=EXTENSION_DAYS)
        answer = await self.client.call(
            "decision-registry",
            "POST",
            f"{path}/extend",
            json={"end_date": end.isoformat()},
            headers=self._ocmw(person),
        )
        if answer.status_code != 200:
            # an earlier try may have landed and its answer been lost: then the end is there
            again = await self.client.expect(
                200, "decision-registry", "GET", path, headers=self._ocmw(person)
            )
            if again["period"]["end"] != end.isoformat():
                body_of(answer, 200)
        self.sent.versions[number] += 1

    async def consult(self, person: PersonPlan) -> None:
        """As a GP does before the care: until consultation has learnt of the decision."""
        body = {
            "ssin": person.ssin,
            "date": self.today.isoformat(),
            "care_type": "general_medicine",
        }
        await self._until(
            lambda: self.client.expect(
                201,
                "consultation",
                "POST",
                "/v1/consultations",
                json=body,
                headers=self._gp(person),
            ),
            lambda answer: answer.get("covered") is True,
            "consultation never saw the decision",
        )
        self.sent.consultations += 1

    async def simulate(self, person: PersonPlan) -> dict[str, Decimal]:
        """The fee of each code, once tariffing has learnt of the decision."""
        body = {
            "ssin": person.ssin,
            "date": self.today.isoformat(),
            "lines": [{"code": code} for code in CODES],
        }
        answer = await self._until(
            lambda: self.client.expect(
                200,
                "tariffing",
                "POST",
                "/v1/pricing-simulations",
                json=body,
                headers=self._gp(person),
            ),
            lambda answer: all(line.get("refusal") is None for line in answer["lines"]),
            "tariffing never saw the decision",
        )
        self.sent.simulations += 1
        return {line["code"]: Decimal(line["fee"]) for line in answer["lines"]}

    async def submit(self, person: PersonPlan, plan: InvoicePlan, fees: dict[str, Decimal]) -> None:
        amounts = {line.line_number: fees[line.code] for line in plan.lines}
        body = {
            "ssin": person.ssin,
            "lines": [
                {
                    "line_number": line.line_number,
                    "date_of_care": (self.today - timedelta(days=line.days_ago)).isoformat(),
                    "code": line.code,
                    "amount": str(amounts[line.line_number]),
                }
                for line in plan.lines
            ],
        }
        answer = await self.client.expect(
            202,
            "invoicing",
            "POST",
            "/v1/invoices",
            json=body,
            headers=self._gp(person) | {"Idempotency-Key": plan.idempotency_key},
        )
        self.sent.invoice_sent(
            SentInvoice(str(answer["invoice_id"]), person=person, plan=plan, amounts=amounts)
        )

    async def _until(
        self,
        ask: Callable[[], Any],
        done: Callable[[dict[str, Any]], bool],
        failure: str,
    ) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READ_MODEL_PATIENCE_SECONDS
        while True:
            answer: dict[str, Any] = await ask()
            if done(answer):
                return answer
            if loop.time() > deadline:
                raise UnexpectedAnswerError(f"{failure}: {answer}")
            await asyncio.sleep(0.5)


def _codes(problem: dict[str, Any]) -> set[str]:
    return {error.get("code", "") for error in problem.get("errors", [])}
