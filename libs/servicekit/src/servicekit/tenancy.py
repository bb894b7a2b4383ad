"""Whose rows a caller may read, decided in the repository, not left to each use case.

A repository function that returns tenant data takes a `Tenant`, never an optional owner: there
is no `None` that quietly means "all rows". An operator's tenant reads every row; an OCMW's or a
provider's reads the rows whose owner column holds its own number; a role the table names no
owner column for reads nothing. Code of the service itself (consumers, jobs) says so with
`tenancy.SERVICE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false

from servicekit.auth import Principal, Role

SelectT = TypeVar("SelectT", bound=Select[Any])


@dataclass(frozen=True)
class Tenant:
    role: Role | None
    subject: str | None

    @classmethod
    def of(cls, caller: Principal) -> Tenant:
        return cls(caller.role, caller.subject)

    @property
    def reads_everything(self) -> bool:
        return self.role is None or self.role is Role.OPERATOR

    def owns(self, owners: Mapping[Role, Any]) -> ColumnElement[bool] | None:
        """The condition on the owner columns (by role) that keeps this tenant's rows; None when
        every row is theirs."""
        if self.reads_everything:
            return None
        column = owners.get(self.role) if self.role is not None else None
        if column is None:
            return false()
        condition: ColumnElement[bool] = column == self.subject
        return condition

    def restrict(self, query: SelectT, owners: Mapping[Role, Any]) -> SelectT:
        condition = self.owns(owners)
        return query if condition is None else query.where(condition)


SERVICE = Tenant(role=None, subject=None)
"""The service itself (a consumer, a job): every row."""
