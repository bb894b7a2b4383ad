from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.components import Category, StateShare
from mediprima_contracts.values import Ssin


class RefundSimulationRequest(BaseModel):
    """The situation fields of a decision; nothing is filed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ssin": "85073003328",
                    "category": "asylum_seeker",
                    "insurable": False,
                    "affiliated_to_fund": False,
                    "income_above_living_wage": False,
                }
            ]
        },
    )

    ssin: Ssin | None = Field(
        default=None, description="The person's number; a BIS number means no register."
    )
    category: Category = Field(description="The person's situation (phase 1 categories).")
    insurable: bool = Field(description="The person can be insured with a health fund.")
    affiliated_to_fund: bool = Field(description="Affiliated to a health insurance fund.")
    income_above_living_wage: bool = Field(description="Income above the living wage.")


class RefundSimulation(BaseModel):
    refund_code: int = Field(description="Refund code (D-12).")
    state_share: StateShare = Field(description="The state's percentages per setting of care.")
    urgent_medical_aid: bool = Field(description="Providers must file a DMH certificate.")
    policy_version: str = Field(description="Version of the refund policy table that answered.")
