"""C-02 and D-05 through the read models: the events a GP's day produces, then a simulation."""

from datetime import date
from pathlib import Path

import httpx

from mediprima_contracts.testing.events import example_consultation_recorded, example_coverage
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.testing import TokenFactory, deliver, eventually, revised

from .test_invoice_pricing import CARE_DAY, NOTHING, simulate, urgent_aid_decision

COPAYMENT_PAID = {**NOTHING, "patient_share": "FULL"}


async def test_c02_a_narrowed_decision_with_a_valid_agreement_still_prices_as_guaranteed(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    consulted = urgent_aid_decision(
        urgent_medical_aid=False, coverages=[example_coverage(ocmw_pays=COPAYMENT_PAID)]
    )
    consultation = example_consultation_recorded(
        ssin=consulted.ssin,
        provider=gp,
        decision_number=consulted.decision_number,
        version=consulted.version,
    )
    narrowed = revised(
        consulted,
        version=2,
        coverages=[example_coverage(care_type="hospitalisation")],
        effective_from=date(2025, 3, 1),
        change_kind="replaced",
    )
    agreement = consultation.agreement_number
    await deliver(tmp_path, consulted, consultation)
    await deliver(tmp_path, narrowed, key=consulted.decision_number)

    without = await eventually(
        lambda: simulate(client, tokens, gp, consulted.ssin, [{"code": "101032"}]),
        lambda answer: (answer.json()["lines"][0]["refusal"] or {}).get("code") == "cover.absent",
    )
    guaranteed = await eventually(
        lambda: simulate(
            client,
            tokens,
            gp,
            consulted.ssin,
            [{"code": "101032"}],
            agreement_number=agreement,
        ),
        lambda answer: answer.json()["lines"][0]["refusal"] is None,
    )

    assert without.json()["lines"][0]["refusal"]["rule"] == "C-01"
    [line] = guaranteed.json()["lines"]
    assert (line["decision_number"], line["version"]) == (consulted.decision_number, 1)
    assert (line["state_share"], line["ocmw_share"], line["patient_share"]) == (
        "28.79",
        "4.00",
        "0.00",
    )
    assert [(remark["rule"], remark["code"]) for remark in line["remarks"]] == [
        ("C-02", "agreement.guaranteed_version")
    ]


async def test_d05_care_61_days_before_the_decision_date_has_no_state_share(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = random_gp_riziv()
    late = urgent_aid_decision(
        urgent_medical_aid=False,
        decision_date=date(2025, 5, 10),
        coverages=[example_coverage(ocmw_pays={**NOTHING, "patient_share": "FULL"})],
        state_share={
            setting: {"insurance_part_pct": 100, "patient_share_pct": 0}
            for setting in ("hospitalisation", "ambulatory_in_hospital", "outside_hospital")
        },
    )
    await deliver(tmp_path, late)

    answer = await eventually(
        lambda: simulate(client, tokens, gp, late.ssin, [{"code": "101032"}]),
        lambda answer: answer.json()["lines"][0]["decision_number"] is not None,
    )

    [line] = answer.json()["lines"]
    assert CARE_DAY == "2025-03-10"  # 61 days before 2025-05-10
    assert line["refusal"] is None
    assert (line["state_share"], line["ocmw_share"], line["patient_share"]) == (
        "0.00",
        "4.00",
        "28.79",
    )
    assert [(remark["rule"], remark["code"]) for remark in line["remarks"]] == [
        ("D-05", "care.before_cutoff")
    ]
