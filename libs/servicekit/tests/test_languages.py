"""Problem details and refusal reasons in the language `Accept-Language` chooses."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, StreamingResponse
from pydantic import BaseModel, Field

from mediprima_contracts.values import Ssin
from servicekit.errors import Conflict, ProblemItem, install_problem_handlers
from servicekit.languages import LanguageMiddleware, chosen_language
from servicekit.limits import BodyLimit, BodyLimitMiddleware


class Order(BaseModel):
    ssin: Ssin
    quantity: int = Field(ge=1)


class Answer(BaseModel):
    covered: bool
    reasons: list[ProblemItem]


def build_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(BodyLimitMiddleware, default=BodyLimit(1_000), by_path={})
    app.add_middleware(LanguageMiddleware)
    install_problem_handlers(app)

    @app.post("/orders")
    async def order(body: Order) -> dict[str, int]:
        if body.quantity == 99:
            closed = "The settlement of 2026-11 is closed"
            raise Conflict.for_rule("S-04", "settlement.closed", closed)
        return {"quantity": body.quantity}

    @app.get("/answer")
    async def answer() -> Answer:
        suspended = ProblemItem(
            rule="D-08", code="decision.suspended", message="Suspended on 2026-11-20"
        )
        stated = ProblemItem(rule="I-01", code="invoice.lines_cancelled", message="Billed twice")
        return Answer(covered=False, reasons=[suspended, stated])

    @app.get("/file.csv")
    async def csv() -> PlainTextResponse:
        return PlainTextResponse("code,message\n", media_type="text/csv")

    @app.get("/file.json")
    async def streamed() -> StreamingResponse:
        async def rows() -> AsyncIterator[bytes]:
            yield b'[{"rule":"S-04","code":"settlement.closed",'
            yield b'"message":"closed"}]'

        return StreamingResponse(rows(), media_type="application/json")

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as http:
        yield http


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("nl", "nl"),
        ("nl-BE", "nl"),
        ("fr-BE,fr;q=0.9,en;q=0.8", "fr"),
        ("en;q=0.5, nl-BE;q=0.9", "nl"),
        ("de-DE, fr;q=0.4", "fr"),
        ("de, *", "en"),
        ("fr;q=0, nl;q=0.1", "nl"),
        ("fr;q=0", "en"),
        ("NL-be;Q=1", "nl"),
        ("fr;q=abc, nl;q=0.2", "nl"),
        ("nl, fr", "nl"),
    ],
)
def test_the_caller_s_highest_ranked_supported_language_is_chosen(
    header: str | None, language: str
) -> None:
    assert chosen_language(header) == language


async def test_a_refusal_in_dutch_keeps_its_rule_and_code(client: httpx.AsyncClient) -> None:
    body = {"ssin": "85073003328", "quantity": 99}
    english = await client.post("/orders", json=body)
    dutch = await client.post("/orders", json=body, headers={"Accept-Language": "nl-BE"})

    assert english.headers["content-language"] == "en"
    assert english.json()["title"] == "Conflict"
    assert english.json()["detail"] == "The settlement of 2026-11 is closed"
    assert dutch.status_code == english.status_code == 409
    assert dutch.headers["content-type"] == "application/problem+json"
    assert dutch.headers["content-language"] == "nl"
    assert "Accept-Language" in dutch.headers["vary"]
    assert dutch.json() == {
        "type": english.json()["type"],
        "title": "Strijdig met de huidige toestand",
        "status": 409,
        "detail": "De afrekening van deze maand is afgesloten",
        "errors": [
            {
                "rule": "S-04",
                "code": "settlement.closed",
                "message": "De afrekening van deze maand is afgesloten",
                "field": None,
            }
        ],
    }


async def test_schema_validation_errors_name_the_rule_api_01_in_french(
    client: httpx.AsyncClient,
) -> None:
    body = {"ssin": "85073003329", "quantity": 0, "extra": 1}
    english = await client.post("/orders", json=body)
    french = await client.post("/orders", json=body, headers={"Accept-Language": "fr"})

    assert english.status_code == french.status_code == 422
    assert [(item["rule"], item["code"]) for item in english.json()["errors"]] == [
        ("API-01", "ssin.check_digits"),
        ("API-01", "greater_than_equal"),
    ]
    assert [(e["rule"], e["code"], e["field"]) for e in french.json()["errors"]] == [
        (e["rule"], e["code"], e["field"]) for e in english.json()["errors"]
    ]
    assert [item["message"] for item in french.json()["errors"]] == [
        "Les chiffres de contrôle du NISS ne correspondent pas",
        "Ce nombre est trop petit",
    ]
    assert french.json()["title"] == "Requête refusée"
    assert french.json()["detail"] == "2 problèmes : voir errors"
    assert french.headers["content-language"] == "fr"


async def test_refusal_reasons_inside_an_answer_are_translated_but_stated_ones_are_not(
    client: httpx.AsyncClient,
) -> None:
    french = await client.get("/answer", headers={"Accept-Language": "fr"})

    assert french.status_code == 200
    assert french.headers["content-language"] == "fr"
    assert french.json() == {
        "covered": False,
        "reasons": [
            {
                "rule": "D-08",
                "code": "decision.suspended",
                "message": "La décision est suspendue à cette date ; contactez le CPAS",
                "field": None,
            },
            {
                "rule": "I-01",
                "code": "invoice.lines_cancelled",
                "message": "Billed twice",
                "field": None,
            },
        ],
    }


async def test_a_body_limit_refusal_and_an_unknown_route_are_translated(
    client: httpx.AsyncClient,
) -> None:
    too_large = await client.post(
        "/orders", content=b"x" * 2_000, headers={"Accept-Language": "nl"}
    )
    unknown = await client.get("/nowhere", headers={"Accept-Language": "nl"})

    assert too_large.status_code == 413
    assert too_large.json()["errors"][0]["rule"] == "API-03"
    assert too_large.json()["errors"][0]["code"] == "body.too_large"
    assert too_large.json()["detail"] == "Het bericht is groter dan deze bewerking aanvaardt"
    assert unknown.status_code == 404
    assert unknown.json()["title"] == unknown.json()["detail"] == "Niet gevonden"


async def test_a_file_is_passed_on_untouched_and_a_streamed_one_is_not_held_back(
    client: httpx.AsyncClient,
) -> None:
    csv = await client.get("/file.csv", headers={"Accept-Language": "nl"})
    streamed = await client.get("/file.json", headers={"Accept-Language": "nl"})

    assert csv.text == "code,message\n"
    assert "content-language" not in csv.headers
    assert streamed.json() == [{"rule": "S-04", "code": "settlement.closed", "message": "closed"}]
    assert "content-language" not in streamed.headers
