"""After the storm: what must hold, each check a list of differences (empty: it holds).

The expectation comes from what the generator sent (`Sent`, `LoadPlan`) and the verdicts the
platform gave each line; the settlement is compared with sums computed here from those, never
with the settlement's own arithmetic."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chaos.generator import Sent, SentInvoice

VERDICTS = ("accepted", "partially_accepted", "rejected")
SHARES = ("state_share", "ocmw_share", "patient_share")
ZERO = Decimal("0.00")


@dataclass
class Totals:
    state_share: Decimal = ZERO
    ocmw_share: Decimal = ZERO
    patient_share: Decimal = ZERO
    lines: int = 0
    invoices: set[str] = field(default_factory=set)

    def add(self, invoice_id: str, line: dict[str, Any]) -> None:
        for part in SHARES:
            setattr(self, part, getattr(self, part) + Decimal(line[part]))
        self.lines += 1
        self.invoices.add(invoice_id)

    def as_settlement(self) -> dict[str, Any]:
        return {
            "state_share": self.state_share,
            "ocmw_share": self.ocmw_share,
            "patient_share": self.patient_share,
            "lines": self.lines,
            "invoices": len(self.invoices),
        }


@dataclass
class Expected:
    """The month's expectation: per month, overall and per OCMW."""

    months: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    per_ocmw: dict[tuple[str, str], Totals] = field(default_factory=lambda: defaultdict(Totals))
    accepted_lines: int = 0
    paid_amount: Decimal = ZERO  # state + OCMW shares owed to the GPs


def check_invoices(sent: Sent, invoices: list[dict[str, Any]]) -> tuple[list[str], Expected]:
    """Nothing lost, nothing made twice; one verdict each, paid once when a line was accepted;
    the lines as sent, their shares adding up to the amount billed; each care accepted at most
    once (I-02). Returns the differences and the settlement's expectation."""
    differences: list[str] = []
    by_id = {invoice["invoice_id"]: invoice for invoice in invoices}
    sent_ids = Counter(item.invoice_id for item in sent.invoices)
    keys = {item.plan.idempotency_key for item in sent.invoices}
    if len(keys) != len(sent.invoices):
        differences.append(f"{len(sent.invoices) - len(keys)} invoices sent twice by the generator")
    twice = [invoice_id for invoice_id, count in sent_ids.items() if count > 1]
    if twice:
        differences.append(f"one invoice id answered for several keys: {twice[:5]}")
    lost = set(sent_ids) - set(by_id)
    extra = set(by_id) - set(sent_ids)
    if lost:
        differences.append(f"{len(lost)} invoices answered 202 but not found: {sorted(lost)[:5]}")
    if extra:
        differences.append(
            f"{len(extra)} invoices nobody sent (e.g. a retry stored twice): {sorted(extra)[:5]}"
        )
    expected = Expected()
    accepted_cares: Counter[tuple[str, str, str, str]] = Counter()
    for item in sent.invoices:
        invoice = by_id.get(item.invoice_id)
        if invoice is None:
            continue
        differences.extend(_check_one(item, invoice, expected, accepted_cares))
    for care, count in accepted_cares.items():
        if count > 1:
            differences.append(f"care {care} accepted {count} times (I-02)")
    return differences, expected


def _check_one(
    item: SentInvoice,
    invoice: dict[str, Any],
    expected: Expected,
    accepted_cares: Counter[tuple[str, str, str, str]],
) -> list[str]:
    name = f"invoice {item.invoice_id}"
    differences = []
    history = [entry["status"] for entry in invoice["history"]]
    verdicts = [status for status in history if status in VERDICTS]
    if len(verdicts) != 1:
        differences.append(f"{name}: {len(verdicts)} verdicts in its history {history}")
    lines = {line["line_number"]: line for line in invoice["lines"]}
    if set(lines) != set(item.amounts):
        differences.append(f"{name}: lines {sorted(lines)}, sent {sorted(item.amounts)}")
        return differences
    accepted = [line for line in lines.values() if line["status"] == "accepted"]
    final = "paid" if accepted else "rejected"
    if invoice["status"] != final:
        differences.append(f"{name}: final status {invoice['status']}, expected {final}")
    if history.count("paid") != (1 if accepted else 0):
        differences.append(f"{name}: paid {history.count('paid')} times in its history {history}")
    for number, line in lines.items():
        if line["status"] not in ("accepted", "rejected"):
            differences.append(f"{name} line {number}: status {line['status']}")
            continue
        amount = item.amounts[number]
        if Decimal(line["amount"]) != amount:
            differences.append(f"{name} line {number}: amount {line['amount']}, sent {amount}")
        parts = sum(Decimal(line[part] or 0) for part in (*SHARES, "health_fund_share"))
        if parts != amount:
            differences.append(f"{name} line {number}: shares add up to {parts}, billed {amount}")
        if line["status"] != "accepted":
            if line.get("payment_reference"):
                differences.append(f"{name} line {number}: rejected but paid")
            continue
        accepted_cares[(item.person.gp, item.person.ssin, line["date_of_care"], line["code"])] += 1
        payment = invoice.get("payment") or {}
        if not line.get("payment_reference"):
            differences.append(f"{name} line {number}: accepted but never paid")
            continue
        if line["payment_reference"] != payment.get("payment_reference"):
            differences.append(
                f"{name} line {number}: paid by {line['payment_reference']}, "
                f"the invoice by {payment.get('payment_reference')}"
            )
        month = str(payment["paid_at"])[:7]
        expected.months[month].add(item.invoice_id, line)
        expected.per_ocmw[(month, item.person.ocmw)].add(item.invoice_id, line)
        expected.accepted_lines += 1
        expected.paid_amount += Decimal(line["state_share"]) + Decimal(line["ocmw_share"])
    return differences


def check_payments(
    sent: Sent, invoices: list[dict[str, Any]], payments: list[dict[str, Any]]
) -> list[str]:
    """Each paid invoice in exactly one provider payment, for its accepted lines' state and
    OCMW shares; each payment's lines amount the sum of its invoices."""
    differences = []
    owed = {
        invoice["invoice_id"]: sum(
            (
                Decimal(line["state_share"]) + Decimal(line["ocmw_share"])
                for line in invoice["lines"]
                if line["status"] == "accepted"
            ),
            ZERO,
        )
        for invoice in invoices
    }
    paid: Counter[str] = Counter()
    for payment in payments:
        listed = payment.get("invoices", [])
        total = sum((Decimal(entry["amount"]) for entry in listed), ZERO)
        if total != Decimal(payment["lines_amount"]):
            differences.append(
                f"payment {payment['payment_reference']}: invoices add up to "
                f"{total}, lines_amount {payment['lines_amount']}"
            )
        for entry in listed:
            paid[entry["invoice_id"]] += 1
            if Decimal(entry["amount"]) != owed.get(entry["invoice_id"]):
                differences.append(
                    f"payment {payment['payment_reference']} paid "
                    f"{entry['amount']} for {entry['invoice_id']}, owed "
                    f"{owed.get(entry['invoice_id'])}"
                )
    for invoice_id, amount in owed.items():
        times = paid[invoice_id]
        if times != (1 if amount > 0 else 0):
            differences.append(f"invoice {invoice_id} (owed {amount}) in {times} payments")
    return differences


def check_settlement(expected: Expected, settlements: dict[str, dict[str, Any]]) -> list[str]:
    differences = []
    for month, totals in expected.months.items():
        settled = settlements[month]
        want = totals.as_settlement()
        got = {key: settled["totals"][key] for key in want}
        if {k: Decimal(str(v)) for k, v in got.items()} != {
            k: Decimal(str(v)) for k, v in want.items()
        }:
            differences.append(f"settlement {month}: totals {got}, expected {want}")
        per_ocmw = {entry["enterprise_number"]: entry for entry in settled["per_ocmw"]}
        ocmws = {ocmw for (in_month, ocmw) in expected.per_ocmw if in_month == month}
        if set(per_ocmw) != ocmws:
            differences.append(
                f"settlement {month}: OCMWs {sorted(per_ocmw)}, expected {sorted(ocmws)}"
            )
        for ocmw in ocmws & set(per_ocmw):
            want = expected.per_ocmw[(month, ocmw)].as_settlement()
            got = {key: per_ocmw[ocmw][key] for key in want if key in per_ocmw[ocmw]}
            if any(Decimal(str(got[key])) != Decimal(str(want[key])) for key in got):
                differences.append(f"settlement {month} OCMW {ocmw}: {got}, expected {want}")
    return differences


def check_read_models(
    sent: Sent,
    registry: dict[tuple[str, int], dict[str, Any]],
    read_models: dict[str, dict[tuple[str, int], dict[str, Any]]],
    ledger_versions: set[tuple[str, int]],
    directory: set[str],
    ocmws: set[str],
) -> list[str]:
    """The registry holds exactly the versions the OCMWs filed; consultation's and tariffing's
    read models hold exactly the registry's versions, with the same content; settlement booked
    lines against versions the registry has, and knows every OCMW."""
    differences = []
    filed = {
        (number, version)
        for number, count in sent.versions.items()
        for version in range(1, count + 1)
    }
    if set(registry) != filed:
        differences.append(
            f"registry: {len(registry)} versions, filed {len(filed)}: "
            f"extra {sorted(set(registry) - filed)[:5]}, "
            f"missing {sorted(filed - set(registry))[:5]}"
        )
    for service, versions in read_models.items():
        if set(versions) != set(registry):
            missing = sorted(set(registry) - set(versions))[:5]
            differences.append(
                f"{service}: {len(versions)} decision versions, registry {len(registry)}: "
                f"missing {missing}"
            )
        for key in set(versions) & set(registry):
            ours, theirs = versions[key], registry[key]
            unlike = sorted(k for k in ours.keys() & theirs.keys() if ours[k] != theirs[k])
            if unlike:
                differences.append(f"{service}: decision {key[0]} v{key[1]} differs in {unlike}")
    unknown = ledger_versions - set(registry)
    if unknown:
        differences.append(
            f"settlement: lines booked on versions the registry lacks: {sorted(unknown)[:5]}"
        )
    if directory != ocmws:
        differences.append(
            f"settlement: OCMW directory {sorted(directory)}, expected {sorted(ocmws)}"
        )
    return differences
