"""A priced line as the invoice path publishes it and as the simulation answers it."""

from mediprima_contracts.components import Finding, InvoiceLine, PricedLine, Verdict
from servicekit.errors import ProblemItem
from tariffing.pricing.rules import LinePrice
from tariffing.pricing.schemas import PricedLineView


def priced_line(line: InvoiceLine, price: LinePrice) -> PricedLine:
    decision = price.decision
    return PricedLine(
        line_number=line.line_number,
        date_of_care=line.date_of_care,
        code=line.code,
        verdict=Verdict.ACCEPTED if price.accepted else Verdict.REJECTED,
        fee=price.fee,
        state_share=price.state_share,
        ocmw_share=price.ocmw_share,
        patient_share=price.patient_share,
        reasons=list(price.reasons),
        decision_number=decision.decision_number if decision else None,
        version=decision.version if decision else None,
        ocmw=price.ocmw.enterprise_number if price.ocmw else None,
        urgent_medical_aid=bool(decision and decision.urgent_medical_aid),
        health_fund_share=price.health_fund_share,
        certificate_number=price.certificate_number,
    )


def line_view(price: LinePrice) -> PricedLineView:
    decision = price.decision
    return PricedLineView(
        code=price.code,
        fee=price.fee,
        state_share=price.state_share,
        ocmw_share=price.ocmw_share,
        patient_share=price.patient_share,
        refusal=_item(price.refusal) if price.refusal else None,
        remarks=[_item(remark) for remark in price.remarks],
        decision_number=decision.decision_number if decision else None,
        version=decision.version if decision else None,
        ocmw=price.ocmw,
        urgent_medical_aid=bool(decision and decision.urgent_medical_aid),
        health_fund_share=price.health_fund_share,
        certificate_number=price.certificate_number,
    )


def _item(reason: Finding) -> ProblemItem:
    return ProblemItem(rule=reason.rule, code=reason.code, message=reason.message)
