import datetime as dt

from pydantic import BaseModel, Field

from mediprima_contracts.values import Money
from servicekit.errors import Problem, ProblemItem, Unprocessable
from tariffing.nomenclature.models import Tariff


class ImportReport(BaseModel):
    """What a tariff import did: all rows or none (never half a file)."""

    imported: int = Field(description="Rows stored (new periods, or open periods closed).")
    skipped: int = Field(description="Rows already stored exactly so; nothing changed.")
    errors: list[ProblemItem] = Field(
        default_factory=list, description="Rejected rows with reasons; empty on success."
    )


class ImportProblem(Problem):
    imported: int = Field(default=0, description="Always 0: a file with a bad row is not imported.")
    skipped: int = Field(default=0, description="Rows already stored exactly so.")


class TariffImportRejected(Unprocessable):
    """At least one row is invalid or overlaps: nothing of the file was imported."""

    def __init__(self, errors: list[ProblemItem], *, skipped: int) -> None:
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was imported", errors)
        self.skipped = skipped

    def to_problem(self) -> ImportProblem:
        problem = super().to_problem()
        return ImportProblem(**problem.model_dump(), imported=0, skipped=self.skipped)


class TariffView(BaseModel):
    code: str = Field(description="Nomenclature code.")
    valid_from: dt.date = Field(description="First day of validity.")
    valid_until: dt.date | None = Field(description="Last day of validity, open when null.")
    fee: Money = Field(description="Official fee.")
    reimbursement: Money = Field(description="Insurance part for ordinary beneficiaries.")
    reimbursement_preferential: Money = Field(description="Insurance part for preferential ones.")
    patient_share: Money = Field(description="Patient share (copayment).")
    provider_types: list[str] = Field(description="Who may charge the code.")
    description: str = Field(description="What the code is.")

    @classmethod
    def of(cls, tariff: Tariff) -> "TariffView":
        return cls(
            code=tariff.code,
            valid_from=tariff.valid_from,
            valid_until=tariff.valid_until,
            fee=tariff.fee,
            reimbursement=tariff.reimbursement,
            reimbursement_preferential=tariff.reimbursement_preferential,
            patient_share=tariff.patient_share,
            provider_types=tariff.provider_types.split(","),
            description=tariff.description,
        )
