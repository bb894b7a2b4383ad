from pydantic import BaseModel, Field

from consultation.certificate_reads.models import ReadEndpoint
from mediprima_contracts.values import Instant, Ssin
from servicekit.auth import Role


class CertificateReadRecord(BaseModel):
    """Someone other than the author read certificates (C-04)."""

    read_id: str = Field(description="Id of the record.")
    read_at: Instant = Field(description="When they were read.")
    reader: str = Field(description="Who read: RIZIV number, enterprise number or operator.")
    reader_role: Role = Field(description="The reader's role.")
    endpoint: ReadEndpoint = Field(
        description="How: `search`, `download` (CSV), `certificate` (one), `versions`."
    )
    ssin: Ssin = Field(description="The person asked about (a search) or certified (one read).")
    certificate_numbers: list[str] = Field(description="The other authors' certificates read.")


class CertificateReadPage(BaseModel):
    """A page of the certificate read trail, newest first."""

    items: list[CertificateReadRecord] = Field(description="Reads on this page.")
    total: int = Field(description="Reads matching the query, over all pages.")
    limit: int = Field(description="Most items per page.")
    offset: int = Field(description="Items skipped before this page.")
