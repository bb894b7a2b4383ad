"""The OCMW statement as a readable PDF in Dutch or French (S-02), drawn with reportlab.

`invariant=True` leaves out the creation date and random document id, so the same month gives
the same bytes and the checksum recorded at close stays true."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.flowables import Flowable

from settlement.settlements.files.documents import Month, OcmwHeading
from settlement.settlements.files.layout import LAYOUT_2
from settlement.settlements.rules import Sums

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Maandelijkse afrekening MediPrima",
        "month": "Maand",
        "ocmw": "OCMW",
        "enterprise_number": "Ondernemingsnummer",
        "settlement": "Afrekening",
        "totals": "Totalen",
        "per_provider": "Totalen per zorgverstrekker",
        "per_person": "Totalen per persoon",
        "provider": "Zorgverstrekker (RIZIV)",
        "person": "Persoon (INSZ)",
        "state_share": "Aandeel staat",
        "ocmw_share": "Aandeel OCMW",
        "patient_share": "Aandeel patiënt",
        "total": "Totaal",
        "lines": "Lijnen",
        "invoices": "Facturen",
        "overall": "Totaal",
        "note": "Bedragen in euro. Creditlijnen zijn negatief. "
        "Het detail per lijn staat in de CSV- en JSON-versie van deze afrekening.",
        "note_person": "Een persoon die onder meer dan één INSZ werd gefactureerd, staat hier "
        "één keer, onder het laatst geboekte INSZ.",
    },
    "fr": {
        "title": "Décompte mensuel MediPrima",
        "month": "Mois",
        "ocmw": "CPAS",
        "enterprise_number": "Numéro d'entreprise",
        "settlement": "Décompte",
        "totals": "Totaux",
        "per_provider": "Totaux par prestataire",
        "per_person": "Totaux par personne",
        "provider": "Prestataire (INAMI)",
        "person": "Personne (NISS)",
        "state_share": "Part de l'État",
        "ocmw_share": "Part du CPAS",
        "patient_share": "Part du patient",
        "total": "Total",
        "lines": "Lignes",
        "invoices": "Factures",
        "overall": "Total",
        "note": "Montants en euros. Les lignes de crédit sont négatives. "
        "Le détail par ligne figure dans les versions CSV et JSON de ce décompte.",
        "note_person": "Une personne facturée sous plusieurs NISS figure ici une seule fois, "
        "sous le dernier NISS comptabilisé.",
    },
}


def euro(cents: int, language: str) -> str:
    """12345 → `123,45` with a thousands separator: `1.234,56` (nl), `1 234,56` (fr)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "." if language == "nl" else " ")
    return f"{sign}{grouped},{rest:02d}"


def statement_pdf(
    month: Month,
    ocmw: OcmwHeading,
    totals: Sums,
    per_provider: Sequence[tuple[str, Sums]],
    per_person: Sequence[tuple[str, Sums]],
) -> bytes:
    labels = LABELS[ocmw.language]
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=True,
        title=f"{labels['title']} {month.month} {ocmw.name}",
        author="MediPrima",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
    )
    story: list[Flowable] = [
        Paragraph(f"{labels['title']} — {month.month}", styles["Title"]),
        Paragraph(f"{labels['ocmw']}: <b>{_escape(ocmw.name)}</b>", styles["Normal"]),
        Paragraph(f"{labels['enterprise_number']}: {ocmw.enterprise_number}", styles["Normal"]),
        Paragraph(f"{labels['settlement']}: {month.settlement_id}", styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph(labels["totals"], styles["Heading2"]),
        _table(labels, ocmw.language, "", [(labels["overall"], totals)]),
        Paragraph(labels["per_provider"], styles["Heading2"]),
        _table(labels, ocmw.language, labels["provider"], per_provider),
        Paragraph(labels["per_person"], styles["Heading2"]),
        _table(labels, ocmw.language, labels["person"], per_person),
        Spacer(1, 4 * mm),
        Paragraph(labels["note"], styles["Italic"]),
    ]
    if month.layout >= LAYOUT_2:  # a month closed in layout 1 keeps its PDF byte for byte
        story.append(Paragraph(labels["note_person"], styles["Italic"]))
    document.build(story)
    return buffer.getvalue()


def _table(
    labels: dict[str, str], language: str, key_label: str, rows: Sequence[tuple[str, Sums]]
) -> LongTable:
    header = [key_label] + [
        labels[name]
        for name in ("state_share", "ocmw_share", "patient_share", "total", "lines", "invoices")
    ]
    body = [
        [
            key,
            euro(sums.state_share, language),
            euro(sums.ocmw_share, language),
            euro(sums.patient_share, language),
            euro(sums.total, language),
            str(sums.lines),
            str(sums.invoices),
        ]
        for key, sums in rows
    ]
    table = LongTable([header, *body], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
