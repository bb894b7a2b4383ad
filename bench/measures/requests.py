"""The requests B1 and B4 send: valid, realistic, and (B4) each one accepted exactly once."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from bench.load.requests import HttpRequest
from bench.seed.decisions import SeededDecision
from bench.seed.identities import gp_riziv, ocmw_nis, ocmw_number, person_ssin
from bench.tokens import Tokens
from mediprima_contracts.testing import decision_request_body
from servicekit.auth import Role

GPS = 50  # GP practices calling
CONSULTATIONS = 20_000  # wrk sends them again from the start when it runs through them


def consultation_requests(
    decisions: Sequence[SeededDecision],
    tokens: Tokens,
    *,
    today: date,
    seed: int,
    count: int = CONSULTATIONS,
) -> list[HttpRequest]:
    """GPs asking about people with a decision, drawn at random from all of them."""
    rng = random.Random(seed)
    headers = [tokens.headers(Role.GP, gp_riziv(index)) for index in range(GPS)]
    return [
        HttpRequest.json(
            "POST",
            "/v1/consultations",
            {
                "ssin": rng.choice(decisions).ssin,
                "date": today.isoformat(),
                "care_type": "general_medicine",
            },
            headers[index % GPS],
        )
        for index in range(count)
    ]


def decision_requests(
    tokens: Tokens, *, today: date, count: int, ocmws: int, first_person: int
) -> list[HttpRequest]:
    """New decisions for people nobody filed for yet (person numbers from `first_person` on),
    spread over the OCMWs, each filed by its own OCMW."""
    headers = [tokens.headers(Role.OCMW, ocmw_number(index)) for index in range(ocmws)]
    return [
        HttpRequest.json(
            "POST",
            "/v1/decisions",
            decision_request_body(
                today=today,
                ssin=person_ssin(first_person + index),
                ocmw=ocmw_number(index % ocmws),
                municipality_nis=ocmw_nis(index % ocmws),
            ),
            headers[index % ocmws],
        )
        for index in range(count)
    ]
