from datetime import date

from pydantic import BaseModel, Field


class ActivityDay(BaseModel):
    day: date = Field(description="A day (UTC).")
    received: int = Field(description="Invoices submitted that day.")
    paid: int = Field(description="Invoices with a payment that day.")


class InvoiceActivity(BaseModel):
    """Invoices received and paid per day, every day of the range, days without any at 0."""

    first_day: date
    last_day: date
    days: list[ActivityDay]
