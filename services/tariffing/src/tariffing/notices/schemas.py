import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from tariffing.notices.models import FunderNotice


class FunderNoticeView(BaseModel):
    """A line of care outside hospitals the funder learned of late (D-05)."""

    model_config = ConfigDict(from_attributes=True)

    invoice_id: str = Field(description="The invoice the line belongs to.")
    line_number: int = Field(description="The line.")
    provider: str = Field(description="RIZIV number of the provider.")
    ssin: str = Field(description="The person, as billed.")
    date_of_care: dt.date = Field(description="Day of the care.")
    decision_number: str = Field(description="The decision that covers it.")
    version: int = Field(description="Its version the line was priced on.")
    decision_date: dt.date = Field(description="The OCMW's decision date.")
    ocmw: str = Field(description="Enterprise number of the OCMW charged.")
    days_after_care: int = Field(description="Days between the care and the decision date (> 45).")

    @classmethod
    def of(cls, notice: FunderNotice) -> "FunderNoticeView":
        return cls.model_validate(notice)


class FunderNoticePage(BaseModel):
    items: list[FunderNoticeView] = Field(description="Notices on this page, by day of care.")
    total: int = Field(description="Notices matching, over all pages.")
    limit: int = Field(description="Most items per page.")
    offset: int = Field(description="Items skipped.")
