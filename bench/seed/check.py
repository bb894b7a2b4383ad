"""After start, each service answers about a sample of the seeded decisions through its own API,
exactly as it would had the decisions come through it: the registry shows the decision to its
OCMW, consultation and tariffing find the person covered today."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

import httpx

from bench.seed.decisions import SeededDecision
from bench.seed.identities import gp_riziv
from bench.stack.platform import Platform
from bench.tokens import Tokens
from servicekit.auth import Role

SAMPLE = 10


class SeedNotSeenError(AssertionError):
    """A service does not answer about a seeded decision as its own code would have."""


async def check_seeded(
    platform: Platform, tokens: Tokens, decisions: Sequence[SeededDecision], *, today: date
) -> None:
    gp = tokens.headers(Role.GP, gp_riziv(99_999))
    async with httpx.AsyncClient(timeout=30.0) as client:
        for decision in random.Random(7).sample(list(decisions), min(SAMPLE, len(decisions))):
            ocmw = tokens.headers(Role.OCMW, decision.ocmw["enterprise_number"])
            shown = await client.get(
                f"{platform.urls['decision-registry']}/v1/decisions/{decision.decision_number}",
                headers=ocmw,
            )
            _expect(shown.status_code == 200 and shown.json()["ssin"] == decision.ssin, shown)
            answer = await client.post(
                f"{platform.urls['consultation']}/v1/consultations",
                json={
                    "ssin": decision.ssin,
                    "date": today.isoformat(),
                    "care_type": "general_medicine",
                },
                headers=gp,
            )
            body = answer.json()
            _expect(
                answer.status_code == 201
                and body["covered"] is True
                and body["decision_number"] == decision.decision_number,
                answer,
            )
            priced = await client.post(
                f"{platform.urls['tariffing']}/v1/pricing-simulations",
                json={
                    "ssin": decision.ssin,
                    "date": today.isoformat(),
                    "lines": [{"code": "101032"}],
                },
                headers=gp,
            )
            refusal = priced.json()["lines"][0].get("refusal") if priced.status_code == 200 else "?"
            # urgent medical aid is refused without a certificate (C-04): that too is knowing it
            _expect(
                priced.status_code == 200 and (refusal is None or decision.urgent_medical_aid),
                priced,
            )


def _expect(condition: bool, answer: httpx.Response) -> None:
    if not condition:
        raise SeedNotSeenError(
            f"{answer.request.method} {answer.request.url} answered {answer.status_code}: "
            f"{answer.text[:1000]}"
        )
