"""The OCMW statement as a readable PDF in Dutch or French (S-02), drawn with reportlab.

`invariant=True` leaves out the creation date and random document id, so the same month gives
the same bytes and the checksum recorded at close stays true. From layout 3 on the statement
lists every line, and names each person (as the month's last run froze the names) beside the
number, on each line and in the per-person totals; a month closed in an earlier layout keeps
its totals-only PDF byte for byte."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, NamedTuple

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.flowables import Flowable

from settlement.settlements.files.documents import Month, OcmwHeading
from settlement.settlements.files.layout import LAYOUT_2, names_in
from settlement.settlements.files.names import PersonName, StatementNames
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
        "name": "Naam",
        "every_line": "Alle lijnen",
        "invoice": "Factuur",
        "line": "Lijn",
        "date_of_care": "Zorgdatum",
        "code": "Code",
        "entry": "Boeking",
        "paid": "betaald",
        "credit": "krediet",
        "note_lines": "Bedragen in euro. Creditlijnen zijn negatief.",
        "note_names": "Namen zoals het OCMW ze kent uit zijn beslissingen, vastgelegd bij de "
        "laatste berekening van de maand; leeg waar geen beslissing gekend was.",
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
        "name": "Nom",
        "every_line": "Toutes les lignes",
        "invoice": "Facture",
        "line": "Ligne",
        "date_of_care": "Date des soins",
        "code": "Code",
        "entry": "Écriture",
        "paid": "payé",
        "credit": "crédit",
        "note_lines": "Montants en euros. Les lignes de crédit sont négatives.",
        "note_names": "Noms tels que le CPAS les connaît par ses décisions, figés au dernier "
        "calcul du mois ; vides là où aucune décision n'était connue.",
    },
}


def euro(cents: int, language: str) -> str:
    """12345 → `123,45` with a thousands separator: `1.234,56` (nl), `1 234,56` (fr)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "." if language == "nl" else " ")
    return f"{sign}{grouped},{rest:02d}"


class PdfLine(NamedTuple):
    """One line as the PDF lists it."""

    invoice_id: str
    line_number: int
    date_of_care: str
    provider: str
    ssin: str
    name: str
    code: str
    entry: str
    state_share: int
    ocmw_share: int
    patient_share: int


def shown(name: PersonName | None) -> str:
    return name.shown if name else ""


def line_of(row: Sequence[Any], names: StatementNames) -> PdfLine:
    """A ledger row as repository.stream_lines gives it, named."""
    (_, provider, ssin, _, invoice_id, line_number, kind, _, _, decision_number, _, _, code,
     date_of_care, state, ocmw_share, patient) = row  # fmt: skip
    return PdfLine(
        invoice_id, line_number, str(date_of_care), provider, ssin,
        shown(names.of(decision_number)), code, kind, state, ocmw_share, patient,
    )  # fmt: skip


def statement_pdf(
    month: Month,
    ocmw: OcmwHeading,
    totals: Sums,
    per_provider: Sequence[tuple[str, Sums]],
    per_person: Sequence[tuple[tuple[str, ...], Sums]],
    *,
    lines: Sequence[PdfLine] = (),
) -> bytes:
    """`per_person` keys are (SSIN,) before layout 3, (SSIN, name) from it on, which also
    lists every line."""
    labels = LABELS[ocmw.language]
    named = names_in(month.layout)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if named else A4,
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
        _table(labels, ocmw.language, [""], [((labels["overall"],), totals)]),
        Paragraph(labels["per_provider"], styles["Heading2"]),
        _table(labels, ocmw.language, [labels["provider"]], [((k,), s) for k, s in per_provider]),
        Paragraph(labels["per_person"], styles["Heading2"]),
        _table(
            labels,
            ocmw.language,
            [labels["person"], labels["name"]] if named else [labels["person"]],
            per_person,
        ),
    ]
    if named:
        story += [
            Paragraph(labels["every_line"], styles["Heading2"]),
            _lines_table(labels, ocmw.language, lines),
        ]
    story += [
        Spacer(1, 4 * mm),
        Paragraph(labels["note_lines" if named else "note"], styles["Italic"]),
    ]
    if month.layout >= LAYOUT_2:  # a month closed in layout 1 keeps its PDF byte for byte
        story.append(Paragraph(labels["note_person"], styles["Italic"]))
    if named:
        story.append(Paragraph(labels["note_names"], styles["Italic"]))
    document.build(story)
    return buffer.getvalue()


_SUM_COLUMNS = ("state_share", "ocmw_share", "patient_share", "total", "lines", "invoices")
_LINE_COLUMNS = (
    "invoice", "line", "date_of_care", "provider", "person", "name", "code", "entry",
    "state_share", "ocmw_share", "patient_share", "total",
)  # fmt: skip


def _table(
    labels: dict[str, str],
    language: str,
    key_labels: list[str],
    rows: Sequence[tuple[tuple[str, ...], Sums]],
) -> LongTable:
    header = key_labels + [labels[name] for name in _SUM_COLUMNS]
    body = [
        [
            *key,
            euro(sums.state_share, language),
            euro(sums.ocmw_share, language),
            euro(sums.patient_share, language),
            euro(sums.total, language),
            str(sums.lines),
            str(sums.invoices),
        ]
        for key, sums in rows
    ]
    return _styled(LongTable([header, *body], repeatRows=1, hAlign="LEFT"), len(key_labels))


def _lines_table(labels: dict[str, str], language: str, lines: Sequence[PdfLine]) -> LongTable:
    header = [labels[name] for name in _LINE_COLUMNS]
    body = [
        [
            line.invoice_id, str(line.line_number), line.date_of_care, line.provider, line.ssin,
            line.name, line.code, labels.get(line.entry, line.entry),
            euro(line.state_share, language), euro(line.ocmw_share, language),
            euro(line.patient_share, language),
            euro(line.state_share + line.ocmw_share + line.patient_share, language),
        ]
        for line in lines
    ]  # fmt: skip
    table = LongTable([header, *body], repeatRows=1, hAlign="LEFT")
    return _styled(table, _LINE_COLUMNS.index("state_share"), font_size=7)


def _styled(table: LongTable, text_columns: int, *, font_size: int = 8) -> LongTable:
    """Text columns left, amounts and counts right."""
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), font_size),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("ALIGN", (text_columns, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
