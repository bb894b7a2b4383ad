"""One error family carrying HTTP status and rule id, rendered as RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from mediprima_contracts.refusals import catalogue

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger()


class ProblemItem(BaseModel):
    """One finding: which rule, a stable machine code, a readable message, the offending field."""

    rule: str | None = Field(
        default=None,
        description="Rule id: domain.md's (e.g. `D-04`) or the platform's (`API-01` a "
        "well-formed request, `API-02` access, `API-03` limits, `API-04` formats).",
    )
    code: str = Field(description="Stable machine-readable code (the refusal catalogue's).")
    message: str = Field(description="Human-readable explanation, in `Content-Language`.")
    field: str | None = Field(default=None, description="Dotted path of the offending field.")

    @model_validator(mode="after")
    def _rule_from_catalogue(self) -> ProblemItem:
        """A finding that names no rule is refused under its code's rule (API-01 for schema
        validation), so every item names one."""
        if self.rule is None:
            self.rule = catalogue().rule_of(self.code)
        return self


class Problem(BaseModel):
    """RFC 9457 problem details with the platform's `errors` extension."""

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="HTTP status code.")
    detail: str = Field(description="Explanation of this occurrence.")
    errors: list[ProblemItem] = Field(default_factory=list, description="Every finding.")


class ServiceError(Exception):
    status = 422
    title = "Unprocessable request"

    def __init__(self, detail: str, errors: Sequence[ProblemItem] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)

    @classmethod
    def for_rule(
        cls, rule: str | None, code: str, message: str, field: str | None = None
    ) -> ServiceError:
        return cls(message, [ProblemItem(rule=rule, code=code, message=message, field=field)])

    def to_problem(self) -> Problem:
        slug = self.title.lower().replace(" ", "-")
        return Problem(
            type=f"https://mediprima.example/problems/{slug}",
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=self.errors,
        )


class Unauthorized(ServiceError):
    status = 401
    title = "Unauthorized"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class NotAcceptable(ServiceError):
    status = 406
    title = "Not acceptable"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class PreconditionFailed(ServiceError):
    status = 412
    title = "Precondition failed"


class PayloadTooLarge(ServiceError):
    status = 413
    title = "Payload too large"


class Unprocessable(ServiceError):
    status = 422
    title = "Unprocessable request"


class TooManyRequests(ServiceError):
    status = 429
    title = "Too many requests"

    def __init__(
        self, detail: str, errors: Sequence[ProblemItem] = (), *, retry_after: int
    ) -> None:
        super().__init__(detail, errors)
        self.retry_after = retry_after


class ServiceUnavailable(ServiceError):
    """Not now: overloaded, or a dependency is out of reach. Answered with `Retry-After`:
    `retry_after` seconds, or the service's `outage_retry_after_seconds` when None."""

    status = 503
    title = "Service unavailable"

    def __init__(
        self, detail: str, errors: Sequence[ProblemItem] = (), *, retry_after: int | None = None
    ) -> None:
        super().__init__(detail, errors)
        self.retry_after = retry_after


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json"),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, ServiceUnavailable):
            retry_after = exc.retry_after or request.app.state.settings.outage_retry_after_seconds
            headers = {"Retry-After": str(retry_after)}
            reasons = [item.message for item in exc.errors]
            log.warning("http.unavailable", path=request.url.path, reasons=reasons)
        return problem_response(exc.to_problem(), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        items = [_validation_item(error) for error in exc.errors()]
        return problem_response(Unprocessable(f"{len(items)} invalid field(s)", items).to_problem())

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        problem = Problem(title=str(exc.detail), status=exc.status_code, detail=str(exc.detail))
        return problem_response(problem)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unexpected_error", error=repr(exc))
        problem = Problem(title="Internal error", status=500, detail="An unexpected error occurred")
        return problem_response(problem)


def _validation_item(error: Any) -> ProblemItem:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
    context = error.get("ctx") or {}
    return ProblemItem(
        rule=context.get("rule"),
        code=str(error.get("type", "invalid")),
        message=str(error.get("msg", "invalid value")),
        field=".".join(location) or None,
    )
