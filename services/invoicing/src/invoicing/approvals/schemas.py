from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.values import BoundedDate, Instant, PersonId, RizivNumber, Ssin


class CarePeriod(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: BoundedDate = Field(description="First day of care the approval covers, included.")
    end: BoundedDate = Field(description="Last day of care the approval covers, included.")


class ApprovalInput(BaseModel):
    """The funder's (POD MI) written approval to pay care billed after the two years (I-04)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reference": "PODMI-2026-00042",
                    "provider": "10000106003",
                    "ssin": "85073003328",
                    "care_period": {"start": "2023-06-01", "end": "2023-09-30"},
                    "approved_on": "2026-11-20",
                }
            ]
        },
    )

    reference: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
        description="The funder's reference of the letter; records it once (idempotent).",
    )
    provider: RizivNumber = Field(description="RIZIV number of the provider allowed to bill.")
    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    person_id: PersonId | None = Field(
        default=None,
        description="The person's registry id, when known: the approval then also covers the "
        "person's care billed under another number (D-08).",
    )
    care_period: CarePeriod = Field(description="Days of care covered; start not after end.")
    approved_on: BoundedDate = Field(description="Date of the funder's letter; not in the future.")


class ApprovalView(BaseModel):
    reference: str = Field(description="The funder's reference.")
    provider: str = Field(description="RIZIV number of the provider.")
    ssin: str = Field(description="The person's number.")
    person_id: str | None = Field(description="The person's registry id, if given.")
    care_period: CarePeriod = Field(description="Days of care covered.")
    approved_on: date = Field(description="Date of the funder's letter.")
    recorded_at: Instant = Field(description="When it was recorded here.")


class ApprovalPage(BaseModel):
    items: list[ApprovalView] = Field(description="This page, oldest recorded first.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")
