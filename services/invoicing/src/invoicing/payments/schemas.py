from decimal import Decimal

from pydantic import BaseModel, Field

from invoicing.invoices.statuses import PaymentRunStatus
from mediprima_contracts.values import Instant, Money


class RecoveryOffsetView(BaseModel):
    credit_reference: str = Field(description="The credit of paid lines this takes back.")
    invoice_id: str = Field(description="The invoice whose paid lines were credited.")
    amount: Money = Field(description="Taken back from this payment.")


class ProviderPaymentView(BaseModel):
    payment_reference: str = Field(description="Reference of the transfer to the provider.")
    provider: str = Field(description="RIZIV number of the provider paid.")
    lines_amount: Money = Field(description="State and OCMW shares of the lines paid.")
    recovered: Money = Field(description="Taken back for credited paid lines (I-05).")
    amount: Money = Field(description="Transferred: `lines_amount` - `recovered`, never below 0.")
    balance_owed: Money = Field(
        description="What the provider still owed back after this payment; offset next time."
    )
    recoveries: list[RecoveryOffsetView] = Field(
        default_factory=list, description="Each recovery offset, with its credit reference."
    )
    paid_at: Instant = Field(description="When it was paid.")


class PaymentRunSummary(BaseModel):
    """A payment run and how far it got: each provider's payment counts once it is committed."""

    run_id: str = Field(description="Id of this run (a resumed run keeps its id).")
    status: PaymentRunStatus = Field(
        description="`running` until every provider is paid (a crashed run stays `running` "
        "until the next run resumes it), then `finished`."
    )
    started_at: Instant = Field(description="When the run started.")
    finished_at: Instant | None = Field(description="When it finished; null while running.")
    last_progress_at: Instant = Field(
        description="When it last moved: started, resumed, a provider paid, finished. A run "
        "`running` that has not moved for minutes has most likely stopped with its process; "
        "starting a run resumes it."
    )
    providers_to_pay: int = Field(
        description="Providers with accepted, unpaid lines when the run (or its resumption) "
        "began; a provider another run paid first is taken off."
    )
    providers_paid: int = Field(description="Providers paid so far in this run.")
    paid_invoices: int = Field(description="Invoices paid so far in this run.")
    amount: Money = Field(description="Total transferred to providers so far in this run.")


class PaymentRunView(PaymentRunSummary):
    payments: list[ProviderPaymentView] = Field(
        description="One payment per provider paid so far, by provider."
    )


class PaymentRunPage(BaseModel):
    items: list[PaymentRunSummary] = Field(description="This page, newest run first.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")


class PaidInvoiceView(BaseModel):
    invoice_id: str = Field(description="Invoice whose lines the payment paid.")
    amount: Money = Field(description="State and OCMW shares of its lines paid.")


class StatementPaymentView(ProviderPaymentView):
    invoices: list[PaidInvoiceView] = Field(description="The invoices it paid.")


class OpenRecoveryView(BaseModel):
    credit_reference: str = Field(description="The credit of paid lines.")
    invoice_id: str = Field(description="The invoice whose paid lines were credited.")
    payment_reference: str = Field(description="The payment those lines had been paid in.")
    amount: Money = Field(description="What the credit took back.")
    outstanding: Money = Field(description="What is still to be offset.")
    created_at: Instant = Field(description="When the credit was made.")


class ProviderStatement(BaseModel):
    """A provider's payments with the recoveries each offset, and what it still owes back."""

    provider: str = Field(description="RIZIV number of the provider.")
    balance_owed: Money = Field(description="Owed back now: offset from the next payments.")
    open_recoveries: list[OpenRecoveryView] = Field(
        description="Recoveries not yet fully offset, oldest first."
    )
    payments: list[StatementPaymentView] = Field(description="This page, newest first.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")


class PaymentDelayReport(BaseModel):
    """I-05: how long after submission the lines paid in a month were paid."""

    month: str = Field(description="`YYYY-MM`, lines paid in that month (UTC).")
    lines: int = Field(description="Lines paid in the month.")
    average_days: Decimal | None = Field(
        description="Average days from submission to payment, two decimals (half up); null "
        "when nothing was paid."
    )
    p95_days: Decimal | None = Field(
        description="Nearest-rank 95th percentile in days, two decimals (half up): 95 % of the "
        "lines were paid within it."
    )
    target_average_days: int = Field(description="The circular's target: under 4 on average.")
    target_max_days: int = Field(description="The manual's promise: within 8 days.")
    average_within_target: bool | None = Field(
        description="Whether the exact average is under 4 days; null when nothing was paid."
    )
    lines_over_max: int = Field(description="Lines paid more than 8 days after submission.")
