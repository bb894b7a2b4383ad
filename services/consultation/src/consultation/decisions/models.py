from consultation.db import Base
from mediprima_domain.readmodel import (
    DecisionNumberColumns,
    DecisionReadModel,
    DecisionVersionColumns,
)


class DecisionVersionView(DecisionVersionColumns, Base):
    """Every decision version seen on the bus."""

    __tablename__ = "decision_versions"


class DecisionNumberView(DecisionNumberColumns, Base):
    """Every number a decision named its person by (D-08)."""

    __tablename__ = "decision_numbers"


READ_MODEL = DecisionReadModel(versions=DecisionVersionView, numbers=DecisionNumberView)
