from pydantic import AwareDatetime, BaseModel, Field


class PersonReadView(BaseModel):
    read_at: AwareDatetime = Field(description="When the read happened (UTC).")
    reader_role: str = Field(description="`gp` or `operator`.")
    reader: str = Field(description="The reader's RIZIV number or operator name.")
    endpoint: str = Field(description="What was read: `pricing-simulations`.")
    ssin: str = Field(description="The number the person was asked about.")
    ocmw: str | None = Field(description="The OCMW covering the person then, if any.")


class PersonReadPage(BaseModel):
    items: list[PersonReadView]
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")
