"""Operators: start a payment run, follow it while it pays, see what each run paid.

The console keeps nothing: the run's id comes back from invoicing when it starts (or, for a run
someone else started, from invoicing's list of running runs), and its progress is read from
invoicing at each poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse

from console.pages import go_to, render
from console.session import CsrfChecked, Operator, User

router = APIRouter(prefix="/operator/payment-runs")
RECENT_RUNS = 20
RUN_ID = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
STALLED_AFTER = timedelta(minutes=2)
"""A provider's payment takes well under a second: a running run that has not moved for this
long has most likely stopped with its process (invoicing resumes it at the next start)."""


@router.get("", response_class=HTMLResponse)
async def payment_runs(request: Request, user: Operator) -> HTMLResponse:
    """The recent runs; one still paying (whoever started it) is followed live at the top."""
    backends = request.app.state.backends
    recent = await backends.json(
        "invoicing", "GET", "/v1/payment-runs", user, params={"limit": RECENT_RUNS}
    )
    running = await backends.json(
        "invoicing", "GET", "/v1/payment-runs", user, params={"status": "running", "limit": 1}
    )
    run = await _run(request, user, running["items"][0]["run_id"]) if running["items"] else None
    return render(request, "operators/payments.html", runs=recent["items"], run=run)


@router.post("", dependencies=[CsrfChecked])
async def start_payment_run(request: Request, user: Operator) -> Response:
    """Invoicing answers as soon as the run starts (or names the run already paying): the
    operator is taken to that run's page to follow it."""
    started = await request.app.state.backends.json(
        "invoicing", "POST", "/v1/payment-runs", user, headers={"Prefer": "respond-async"}
    )
    return go_to(request, f"/operator/payment-runs/{started['run_id']}")


@router.get("/{run_id}", response_class=HTMLResponse)
async def payment_run(request: Request, user: Operator, run_id: RUN_ID) -> HTMLResponse:
    return render(request, "operators/payment_run.html", run=await _run(request, user, run_id))


@router.get("/{run_id}/progress", response_class=HTMLResponse)
async def payment_run_progress(request: Request, user: Operator, run_id: RUN_ID) -> HTMLResponse:
    """The run's progress alone, polled by its page every second until the run is finished."""
    run = await _run(request, user, run_id)
    return render(request, "operators/payment_run_progress.html", run=run)


async def _run(request: Request, user: User, run_id: str) -> dict[str, Any]:
    run: dict[str, Any] = await request.app.state.backends.json(
        "invoicing", "GET", f"/v1/payment-runs/{run_id}", user
    )
    moved = datetime.fromisoformat(run["last_progress_at"].replace("Z", "+00:00"))
    run["stalled"] = run["status"] == "running" and datetime.now(UTC) - moved > STALLED_AFTER
    return run
