from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.components import Ocmw
from mediprima_contracts.values import (
    BoundedDate,
    DecisionNumber,
    Money,
    NonNegativeMoney,
    RizivNumber,
    Ssin,
)
from servicekit.errors import ProblemItem


class SimulationLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^\d{6}$", description="Nomenclature code.", examples=["101032"])
    amount: NonNegativeMoney | None = Field(
        default=None, description="Amount to bill; the fee when omitted."
    )


class SimulationRequest(BaseModel):
    """Who would pay what for these codes, this person and this date (T-04)."""

    model_config = ConfigDict(extra="forbid")

    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    date: BoundedDate = Field(description="Date of care.")
    admission_date: BoundedDate | None = Field(
        default=None,
        description="Admission day of the hospital stay the care belongs to (D-05, D-14).",
    )
    agreement_number: str | None = Field(default=None, description="Agreement from a consultation.")
    issued_on: BoundedDate | None = Field(
        default=None,
        description="Day the invoice would be issued (today when omitted): a C-02 guarantee "
        "covers invoices issued within 30 days of the consultation.",
    )
    provider: RizivNumber | None = Field(
        default=None,
        description="Provider to price for; a GP is always itself, an operator may name one.",
    )
    lines: list[SimulationLine] = Field(min_length=1, max_length=100, description="Codes to price.")


class PricedLineView(BaseModel):
    code: str = Field(description="Nomenclature code.")
    fee: Money = Field(description="Official fee in force on the date.")
    state_share: Money = Field(description="Paid by the state through the payer.")
    ocmw_share: Money = Field(description="Paid by the OCMW from its own funds.")
    patient_share: Money = Field(description="Left to the patient.")
    refusal: ProblemItem | None = Field(default=None, description="Why the line would be refused.")
    remarks: list[ProblemItem] = Field(
        default_factory=list,
        description="How an accepted line was priced, e.g. D-05 (no state share), C-02.",
    )
    decision_number: DecisionNumber | None = Field(
        default=None, description="Decision the line was priced against."
    )
    version: int | None = Field(default=None, description="Version of that decision.")
    ocmw: Ocmw | None = Field(
        default=None,
        description="The OCMW charged for the line: the one competent for the decision on the "
        "date of care, or on the admission day for care within a hospital stay (T-06, D-14).",
    )
    urgent_medical_aid: bool = Field(default=False, description="Priced as urgent medical aid.")
    health_fund_share: Money = Field(
        default=Money("0.00"),
        description="For an insured person, the health fund's part (T-02): shown so the shares "
        "add up to the amount, charged to nobody on this platform.",
    )
    certificate_number: str | None = Field(
        default=None, description="The urgent-aid certificate the line relies on (C-04)."
    )


class SimulationAnswer(BaseModel):
    lines: list[PricedLineView] = Field(description="One answer per line, in order.")
