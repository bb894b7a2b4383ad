from pydantic import BaseModel, Field

from servicekit.errors import Problem, ProblemItem, Unprocessable


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
