"""Invoice pricing from events, and the simulation that must give the very same answer (T-04)."""

from pathlib import Path
from typing import Any

import httpx

from mediprima_contracts.events import DecisionVersionPublished, InvoicePriced, InvoiceSubmitted
from mediprima_contracts.events.topics import PRICING
from mediprima_contracts.registry import parse_envelope
from mediprima_contracts.testing.events import (
    example_certificate_registered,
    example_certificate_withdrawn,
    example_consultation_recorded,
    example_coverage,
    example_decision_version_published,
    example_invoice_submitted,
)
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_contracts.values import RizivNumber
from servicekit.auth import Role
from servicekit.pytest_plugin import ReadTopic
from servicekit.testing import TokenFactory, deliver, envelope, eventually

CARE_DAY = "2025-03-10"
ISSUED_ON = "2025-03-14"  # within the example consultation's 30 days (C-02)
LINES = [
    {"code": "101032"},
    {"code": "101032", "amount": "40.00"},
    {"code": "102771", "amount": "37.34"},
    {"code": "999999", "amount": "10.00"},
    {"code": "102012", "amount": "45.00"},
]
NOTHING = {"insurance_part": "NOTHING", "patient_share": "NOTHING", "supplements": "NOTHING"}


def urgent_aid_decision(**changes: Any) -> DecisionVersionPublished:
    """Urgent medical aid; the state pays the insurance part; the OCMW the patient share up to
    6.00 a month."""
    return example_decision_version_published(
        **{
            "state_share": {
                setting: {"insurance_part_pct": 100, "patient_share_pct": 0}
                for setting in ("hospitalisation", "ambulatory_in_hospital", "outside_hospital")
            },
            "urgent_medical_aid": True,
            "coverages": [
                example_coverage(
                    ocmw_pays={**NOTHING, "patient_share": "PARTIAL"},
                    patient_share_monthly_cap="6.00",
                )
            ],
            **changes,
        }
    )


async def simulate(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    gp: RizivNumber,
    ssin: str,
    lines: list[dict[str, Any]],
    **extra: Any,
) -> httpx.Response:
    return await client.post(
        "/v1/pricing-simulations",
        json={"ssin": ssin, "date": CARE_DAY, "issued_on": ISSUED_ON, "lines": lines} | extra,
        headers=tokens.headers(Role.GP, gp),
    )


async def priced_invoices(published: ReadTopic, expected: int) -> list[InvoicePriced]:
    records = await eventually(
        lambda: published(PRICING, expected=expected), lambda found: len(found) >= expected
    )
    events = [parse_envelope(record.value).data for record in records]
    assert all(isinstance(event, InvoicePriced) for event in events)
    return events  # type: ignore[return-value]


def split(line: dict[str, Any]) -> tuple[Any, ...]:
    refusal = line.get("refusal")
    reasons = [(refusal["rule"], refusal["code"])] if refusal else []
    reasons += [(remark["rule"], remark["code"]) for remark in line.get("remarks", [])]
    return (line["fee"], line["state_share"], line["ocmw_share"], line["patient_share"], reasons)


def priced_split(line: Any) -> tuple[Any, ...]:
    data = line.model_dump(mode="json")
    reasons = [(reason["rule"], reason["code"]) for reason in data["reasons"]]
    return (data["fee"], data["state_share"], data["ocmw_share"], data["patient_share"], reasons)


async def known_person(
    client: httpx.AsyncClient, tokens: TokenFactory, workdir: Path, gp: RizivNumber
) -> tuple[DecisionVersionPublished, str]:
    """A DMH decision, a certificate and a consultation with its agreement, all applied."""
    decision = urgent_aid_decision()
    consultation = example_consultation_recorded(
        ssin=decision.ssin,
        provider=gp,
        decision_number=decision.decision_number,
        version=decision.version,
    )
    certificate = example_certificate_registered(ssin=decision.ssin, provider=gp)
    await deliver(workdir, decision, consultation, certificate)
    agreement = consultation.agreement_number
    assert agreement is not None
    await eventually(
        lambda: simulate(
            client, tokens, gp, decision.ssin, [{"code": "102771"}], agreement_number=agreement
        ),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )
    return decision, agreement


async def test_t04_the_simulation_and_the_invoice_path_give_identical_results(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision, agreement = await known_person(client, tokens, tmp_path, gp)

    simulated = await simulate(client, tokens, gp, decision.ssin, LINES, agreement_number=agreement)
    invoice = example_invoice_submitted(
        ssin=decision.ssin,
        provider=gp,
        agreement_number=agreement,
        lines=[
            {"line_number": number, "date_of_care": CARE_DAY, "amount": "32.79", **line}
            for number, line in enumerate(LINES, start=1)
        ],
    )
    await deliver(tmp_path, invoice)
    [priced] = await priced_invoices(published, 1)

    assert simulated.status_code == 200
    assert [split(line) for line in simulated.json()["lines"]] == [
        priced_split(line) for line in priced.lines
    ]
    assert [split(line) for line in simulated.json()["lines"]] == [
        ("32.79", "28.79", "4.00", "0.00", []),
        ("32.79", "28.79", "2.00", "9.21", []),
        ("37.34", "37.34", "0.00", "0.00", []),
        ("0.00", "0.00", "0.00", "10.00", [("T-01", "code.unknown")]),
        ("43.72", "0.00", "0.00", "45.00", [("T-06", "code.not_allowed_for_provider")]),
    ]
    assert [line.verdict for line in priced.lines] == [
        "accepted",
        "accepted",
        "accepted",
        "rejected",
        "rejected",
    ]
    accepted = priced.lines[0]
    assert (accepted.decision_number, accepted.version) == (decision.decision_number, 1)
    assert accepted.ocmw == decision.ocmw.enterprise_number
    assert accepted.urgent_medical_aid is True


def one_consultation_invoice(
    decision: DecisionVersionPublished, gp: RizivNumber, agreement: str
) -> InvoiceSubmitted:
    return example_invoice_submitted(
        ssin=decision.ssin,
        provider=gp,
        agreement_number=agreement,
        lines=[{"line_number": 1, "date_of_care": CARE_DAY, "code": "101032", "amount": "32.79"}],
    )


async def test_t03_the_monthly_cap_counts_what_the_ocmw_paid_on_earlier_invoices(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision, agreement = await known_person(client, tokens, tmp_path, gp)
    first = one_consultation_invoice(decision, gp, agreement)

    await deliver(tmp_path, first)
    await priced_invoices(published, 1)
    after = await simulate(
        client, tokens, gp, decision.ssin, [{"code": "101032"}] * 2, agreement_number=agreement
    )

    assert [line["ocmw_share"] for line in after.json()["lines"]] == ["2.00", "0.00"]


async def test_t04_pricing_the_same_invoice_twice_gives_the_same_result(
    client: httpx.AsyncClient, tokens: TokenFactory, published: ReadTopic, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision, agreement = await known_person(client, tokens, tmp_path, gp)
    invoice = one_consultation_invoice(decision, gp, agreement)

    await deliver(tmp_path, invoice)
    await priced_invoices(published, 1)
    await deliver(tmp_path, envelope(invoice, source="invoicing"))
    first, second = await priced_invoices(published, 2)

    assert first.invoice_id == second.invoice_id == invoice.invoice_id
    assert first.lines == second.lines
    assert first.lines[0].ocmw_share == 4


async def test_c04_a_withdrawn_certificate_stays_withdrawn_whatever_the_order(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision = urgent_aid_decision()
    await deliver(tmp_path, decision)
    withdrawn = example_certificate_withdrawn(ssin=decision.ssin, provider=gp)
    registered_late = example_certificate_registered(**withdrawn.model_dump())
    late_march = example_certificate_registered(
        ssin=decision.ssin, provider=gp, valid_from="2025-03-20", valid_until="2025-03-31"
    )
    # One key, one partition: applied in this order; the last one tells when all were applied.
    await deliver(tmp_path, withdrawn, registered_late, late_march, key=decision.ssin)

    late = await eventually(
        lambda: simulate(client, tokens, gp, decision.ssin, LINES[:1], date="2025-03-21"),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )
    answer = await simulate(client, tokens, gp, decision.ssin, LINES[:1])

    assert late.json()["lines"][0]["refusal"] is None
    assert answer.json()["lines"][0]["refusal"]["code"] == "certificate.missing"
    assert answer.json()["lines"][0]["refusal"]["rule"] == "C-04"


async def test_c02_an_agreement_not_yet_known_is_refused_then_accepted_once_recorded(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    decision = urgent_aid_decision(urgent_medical_aid=False)
    await deliver(tmp_path, decision)
    consultation = example_consultation_recorded(
        ssin=decision.ssin, provider=gp, decision_number=decision.decision_number, version=1
    )
    agreement = consultation.agreement_number

    before = await eventually(
        lambda: simulate(client, tokens, gp, decision.ssin, LINES[:1], agreement_number=agreement),
        lambda answer: answer.json()["lines"][0]["refusal"]["code"] != "decision.absent",
    )
    await deliver(tmp_path, consultation, consultation)
    after = await eventually(
        lambda: simulate(client, tokens, gp, decision.ssin, LINES[:1], agreement_number=agreement),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )

    assert before.json()["lines"][0]["refusal"]["code"] == "agreement.unknown"
    assert after.json()["lines"][0]["refusal"] is None
    other_gp = await simulate(
        client, tokens, random_gp_riziv(), decision.ssin, LINES[:1], agreement_number=agreement
    )
    # Another GP's agreement guarantees nothing: priced on the decision in force, with the remark.
    [line] = other_gp.json()["lines"]
    assert line["refusal"] is None
    assert [remark["code"] for remark in line["remarks"]] == ["agreement.mismatch"]


async def test_t04_a_gp_simulates_only_as_itself(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    decision = urgent_aid_decision()

    response = await simulate(
        client, tokens, random_gp_riziv(), decision.ssin, LINES[:1], provider=random_gp_riziv()
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "provider.not_caller"


async def test_t06_an_operator_simulation_names_the_provider_it_prices_for(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    listed_gp = random_gp_riziv()
    decision = urgent_aid_decision(
        urgent_medical_aid=False, coverages=[example_coverage(providers=[listed_gp])]
    )
    await deliver(tmp_path, decision)

    async def as_operator(provider: RizivNumber) -> httpx.Response:
        return await client.post(
            "/v1/pricing-simulations",
            json={
                "ssin": decision.ssin,
                "date": CARE_DAY,
                "lines": LINES[:1],
                "provider": provider,
            },
            headers=tokens.headers(Role.OPERATOR, "ops"),
        )

    listed = await eventually(
        lambda: as_operator(listed_gp), lambda answer: answer.json()["lines"][0]["refusal"] is None
    )
    other = await as_operator(random_gp_riziv())

    assert listed.json()["lines"][0]["refusal"] is None
    assert other.json()["lines"][0]["refusal"]["code"] == "provider.not_in_list"
