"""I-06: how a GP bills a case, through the platform or on paper to the OCMW (2025 circular), pure.

The circular's dates, quoted:
- "Indien het OCMW vóór 1 september 2025 een beslissing nam tot ten laste name van medische
  kosten voor zorgen verstrekt door een huisarts, en deze beslissing loopt nog verder na 1
  september 2025, verandert er niets voor de huisarts. Hij mag zijn kosten op de gebruikelijke
  wijze verder factureren naar het OCMW."
- "is het voor huisartsen toegestaan om tot 31 oktober 2025 via de huidige weg te factureren naar
  de OCMW's, zelfs al nam een OCMW al een beslissing tot ten laste name van de medische kosten in
  MediPrima."
- "Vanaf 1 november 2025 wordt het voor huisartsen verplicht om hun facturen elektronisch via
  MediPrima in te dienen, indien er in MediPrima een beslissing van een OCMW tot ten laste name
  van de medische kosten voor zorgen verstrekt door een huisarts is geregistreerd."
- Exemptions: "facturering is technisch niet mogelijk omdat deze buiten de praktijk plaatsvindt;
  er is sprake van overmacht; de arts heeft op 1 januari 2023 de leeftijd van 67 jaar bereikt",
  proven by "een schriftelijke verklaring aan het OCMW".
- "De verplichting om elektronisch te factureren vanaf 1 september 2025 geldt niet voor
  huisartsen die medische prestaties verstrekken in huisartsenwachtposten".
- Medical houses with a fixed fee: "kan de huisarts blijven factureren via de huidige procedure
  (d.w.z.: de huisarts verleent de zorgen en stuurt de factuur rechtstreeks naar het OCMW),
  tenzij de software het toelaat dat de huisarts toch met zijn eigen RIZIV-nummer "per
  handeling" kan factureren via MediPrima."

`platform` means the platform is mandatory; `paper_to_ocmw` means the GP may send the invoice on
paper to the OCMW (where a registered decision covers the care, the platform may be used too).
Hospitals are outside the circular: they bill through MediPrima since 2014 ("sinds juni 2014
factureren ziekenhuizen enkel nog elektronisch via MediPrima").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable

RULE = "I-06"
REGISTRATION_MANDATORY_FROM = date(2025, 9, 1)
PAPER_ALLOWED_UNTIL = date(2025, 10, 31)


class BillingRoute(StrEnum):
    """How the GP bills the case."""

    PLATFORM = "platform"
    """Through MediPrima, mandatory."""
    PAPER_TO_OCMW = "paper_to_ocmw"
    """On paper to the OCMW, allowed (the classic route)."""


class ProviderKind(StrEnum):
    """Where a provider works, as far as the circular cares (I-06)."""

    PRACTICE = "practice"
    OUT_OF_HOURS_POST = "out_of_hours_post"
    """A huisartsenwachtpost: not bound to bill through the platform."""
    MEDICAL_HOUSE = "medical_house"
    """A fixed-fee medical house: may bill per act on paper to the OCMW or on the platform."""


class ExemptionReason(StrEnum):
    """The legal exemptions from electronic billing a GP declares in writing to the OCMW."""

    TECHNICALLY_IMPOSSIBLE = "technically_impossible"
    """Billing outside the practice, where electronic billing is technically impossible."""
    FORCE_MAJEURE = "force_majeure"
    AGED_67_ON_2023_01_01 = "aged_67_on_2023_01_01"
    """The GP was 67 or older on 1 January 2023."""


class BillingRouteCode(StrEnum):
    """Why the route is what it is; one stable code per reason."""

    NO_REGISTERED_DECISION = "billing.no_registered_decision"
    HOSPITAL = "billing.hospital"
    DECISION_BEFORE_2025_09_01 = "billing.decision_before_2025_09_01"
    TRANSITION_UNTIL_2025_10_31 = "billing.transition_until_2025_10_31"
    OUT_OF_HOURS_POST = "billing.out_of_hours_post"
    MEDICAL_HOUSE = "billing.medical_house"
    EXEMPT_TECHNICALLY_IMPOSSIBLE = "billing.exempt_technically_impossible"
    EXEMPT_FORCE_MAJEURE = "billing.exempt_force_majeure"
    EXEMPT_AGED_67_ON_2023_01_01 = "billing.exempt_aged_67_on_2023_01_01"
    PLATFORM_REQUIRED = "billing.platform_required"


_PAPER = BillingRoute.PAPER_TO_OCMW
_PLATFORM = BillingRoute.PLATFORM
_VERDICTS: dict[BillingRouteCode, tuple[BillingRoute, str]] = {
    BillingRouteCode.NO_REGISTERED_DECISION: (
        _PAPER,
        "No decision registered in MediPrima covers this care: bill the OCMW the classic way",
    ),
    BillingRouteCode.HOSPITAL: (_PLATFORM, "Hospitals bill through MediPrima"),
    BillingRouteCode.DECISION_BEFORE_2025_09_01: (
        _PAPER,
        "The OCMW decided before 1 September 2025: the GP may keep billing the OCMW as before",
    ),
    BillingRouteCode.TRANSITION_UNTIL_2025_10_31: (
        _PAPER,
        "Until 31 October 2025 the GP may still bill the OCMW on paper, even for a registered "
        "decision",
    ),
    BillingRouteCode.OUT_OF_HOURS_POST: (
        _PAPER,
        "Out-of-hours GP posts are not bound to bill through MediPrima",
    ),
    BillingRouteCode.MEDICAL_HOUSE: (
        _PAPER,
        "A fixed-fee medical house may bill per act on paper to the OCMW or through MediPrima",
    ),
    BillingRouteCode.EXEMPT_TECHNICALLY_IMPOSSIBLE: (
        _PAPER,
        "Exempt (declared to the OCMW): billing outside the practice is technically impossible",
    ),
    BillingRouteCode.EXEMPT_FORCE_MAJEURE: (
        _PAPER,
        "Exempt (declared to the OCMW): force majeure",
    ),
    BillingRouteCode.EXEMPT_AGED_67_ON_2023_01_01: (
        _PAPER,
        "Exempt (declared to the OCMW): the GP was 67 or older on 1 January 2023",
    ),
    BillingRouteCode.PLATFORM_REQUIRED: (
        _PLATFORM,
        "From 1 November 2025 a registered decision is billed through MediPrima",
    ),
}
_EXEMPTION_CODES = {
    ExemptionReason.TECHNICALLY_IMPOSSIBLE: BillingRouteCode.EXEMPT_TECHNICALLY_IMPOSSIBLE,
    ExemptionReason.FORCE_MAJEURE: BillingRouteCode.EXEMPT_FORCE_MAJEURE,
    ExemptionReason.AGED_67_ON_2023_01_01: BillingRouteCode.EXEMPT_AGED_67_ON_2023_01_01,
}
_KIND_CODES = {
    ProviderKind.OUT_OF_HOURS_POST: BillingRouteCode.OUT_OF_HOURS_POST,
    ProviderKind.MEDICAL_HOUSE: BillingRouteCode.MEDICAL_HOUSE,
}


@dataclass(frozen=True)
class Exemption:
    """A GP's written exemption declaration, as the OCMW recorded it."""

    reason: ExemptionReason
    declared_on: date


@dataclass(frozen=True)
class BillingVerdict:
    route: BillingRoute
    code: BillingRouteCode
    message: str

    @property
    def paper_allowed(self) -> bool:
        return self.route is BillingRoute.PAPER_TO_OCMW


def verdict_of(code: BillingRouteCode) -> BillingVerdict:
    route, message = _VERDICTS[code]
    return BillingVerdict(route=route, code=code, message=message)


def billing_route_i06(
    *,
    billing_day: date,
    decision_date: date | None,
    provider_kind: ProviderKind = ProviderKind.PRACTICE,
    exemptions: Sequence[Exemption] = (),
    is_hospital: bool = False,
) -> BillingVerdict:
    """I-06: the route for care billed on `billing_day`.

    `decision_date` is the decision date of the registered decision covering the care, None when
    none does; `exemptions` are the GP's declarations recorded by the OCMW of that decision.
    """
    if decision_date is None:
        return verdict_of(BillingRouteCode.NO_REGISTERED_DECISION)
    if is_hospital:
        return verdict_of(BillingRouteCode.HOSPITAL)
    if decision_date < REGISTRATION_MANDATORY_FROM:
        return verdict_of(BillingRouteCode.DECISION_BEFORE_2025_09_01)
    if billing_day <= PAPER_ALLOWED_UNTIL:
        return verdict_of(BillingRouteCode.TRANSITION_UNTIL_2025_10_31)
    if provider_kind in _KIND_CODES:
        return verdict_of(_KIND_CODES[provider_kind])
    declared = sorted(
        (exemption for exemption in exemptions if exemption.declared_on <= billing_day),
        key=lambda exemption: (exemption.declared_on, exemption.reason.value),
    )
    if declared:
        return verdict_of(_EXEMPTION_CODES[declared[0].reason])
    return verdict_of(BillingRouteCode.PLATFORM_REQUIRED)


def check_declared_on_i06(*, declared_on: date, today: date) -> None:
    """I-06: a declaration the OCMW received is not dated in the future."""
    if declared_on > today:
        raise Unprocessable.for_rule(
            RULE,
            "exemption.declared_in_future",
            "declared_on is in the future",
            field="declared_on",
        )


def check_exempt_provider_i06(*, is_doctor: bool) -> None:
    """I-06: the exemptions are a doctor's (the circular is addressed to GPs)."""
    if not is_doctor:
        raise Unprocessable.for_rule(
            RULE,
            "exemption.not_a_doctor",
            "Only a doctor (RIZIV profession 1) declares an exemption from electronic billing",
            field="provider",
        )


def check_same_declaration_i06(*, same_body: bool) -> None:
    """I-06: a document reference names one declaration; it is recorded once."""
    if not same_body:
        raise Conflict.for_rule(
            RULE,
            "exemption.reference_reused",
            "This OCMW already recorded another declaration under this document reference",
        )


def check_paper_invoice_dates_i06(*, date_of_care: date, invoiced_on: date) -> None:
    """I-06: a paper invoice is dated on or after the care it bills."""
    if invoiced_on < date_of_care:
        raise Unprocessable.for_rule(
            RULE,
            "paper_invoice.before_care",
            "invoiced_on is before date_of_care",
            field="invoiced_on",
        )
