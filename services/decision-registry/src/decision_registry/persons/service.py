"""A person's identity across numbers (D-08): who a filing is about, new numbers, merges.

The caller's transaction commits; nothing here does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository as decisions
from decision_registry.decisions import rules
from decision_registry.decisions.rules import NumberStatus, PersonStamp
from decision_registry.persons import repository
from decision_registry.persons.repository import KnownNumber


def new_person_id() -> str:
    """A person id as the contracts' `PersonId` spells it: `P` and 32 hexadecimal digits."""
    return "P" + uuid.uuid4().hex


@dataclass(frozen=True)
class Identity:
    """What every version publishes about its person (D-08, I-05b)."""

    person_id: str
    replaced_ssins: list[str]
    pending_ssin: str | None


async def identity_of(session: AsyncSession, *, person_id: str, ssin: str) -> Identity:
    """The person's replaced numbers, and the new number awaiting take-over (unless the
    version is filed under it already)."""
    return identity_from(
        await repository.numbers_of(session, person_id), person_id=person_id, ssin=ssin
    )


def identity_from(numbers: list[KnownNumber], *, person_id: str, ssin: str) -> Identity:
    """`identity_of` from the person's numbers just read (oldest first)."""
    pending = [
        number.ssin
        for number in numbers
        if number.status is NumberStatus.PENDING and number.ssin != ssin
    ]
    return Identity(
        person_id=person_id,
        replaced_ssins=sorted(
            number.ssin for number in numbers if number.status is NumberStatus.REPLACED
        ),
        pending_ssin=pending[-1] if pending else None,
    )


async def person_of_number(session: AsyncSession, ssin: str) -> str | None:
    number = await repository.find_number(session, ssin)
    return None if number is None else number.person_id


async def lock_person(session: AsyncSession, person_id: str) -> None:
    """Filings about one person run one at a time (D-14's overlap check holds under races)."""
    await repository.lock(session, [person_id])


@dataclass(frozen=True)
class Filing:
    """The person a new decision is about, and what D-08 says of the number used."""

    person_id: str
    findings: list[rules.RuleFinding] = field(default_factory=list)
    new_person: bool = False
    """Created by this filing: no decision about them exists yet."""
    numbers: list[KnownNumber] = field(default_factory=list)
    """The person's numbers once filed (oldest first), for the version's identity."""


async def person_for_filing(session: AsyncSession, *, ssin: str, at: datetime) -> Filing:
    """The person known under `ssin` (any of their numbers), or a new one; locked until the
    transaction ends. A pending number is taken over; a replaced one is refused (D-08)."""
    number = await repository.find_number_and_lock(session, ssin)
    if number is None:
        candidate = new_person_id()
        await repository.add_person(session, candidate, at=at)
        owner = await repository.claim_number(
            session, ssin=ssin, person_id=candidate, status=NumberStatus.CURRENT, at=at
        )
        if owner == candidate:
            # Not committed yet: no other transaction sees this person, so there is nothing to
            # lock, and its one number is the one just claimed.
            return Filing(
                person_id=candidate,
                findings=rules.check_number_not_replaced_d08(
                    status=NumberStatus.CURRENT, current=ssin
                ),
                new_person=True,
                numbers=[KnownNumber(ssin, candidate, NumberStatus.CURRENT, at)],
            )
        await repository.delete_person(session, candidate)
        number = await repository.find_number_and_lock(session, ssin)
        assert number is not None
    if number.status is NumberStatus.PENDING:
        await take_over(session, person_id=number.person_id, new_ssin=ssin, at=at)
    numbers = await repository.numbers_of(session, number.person_id)
    current = [known.ssin for known in numbers if known.status is NumberStatus.CURRENT]
    return Filing(
        person_id=number.person_id,
        findings=rules.check_number_not_replaced_d08(
            status=number.status, current=current[-1] if current else None
        ),
        numbers=numbers,
    )


@dataclass(frozen=True)
class Joined:
    """The person a number now belongs to, and the decisions of a record given up for it."""

    person_id: str
    merged: bool = False
    absorbed_decisions: list[int] = field(default_factory=list)


async def register_new_number(
    session: AsyncSession, *, person_id: str, new_ssin: str, take_over_now: bool, at: datetime
) -> Joined:
    """D-08: the register reports `new_ssin` as the person's new number. It waits as `pending`
    until the OCMW deals with the mutation, unless no open decision waits for it
    (`take_over_now`). A number another record holds means one person under two records: they
    are merged."""
    joined = await _join(session, person_id=person_id, ssin=new_ssin, at=at)
    if take_over_now:
        await take_over(session, person_id=joined.person_id, new_ssin=new_ssin, at=at)
        return joined
    if joined.merged:
        # The number was the other record's current one; to this person it is the new one.
        await repository.set_status(session, ssin=new_ssin, status=NumberStatus.PENDING, at=at)
    return joined


async def take_over(
    session: AsyncSession, *, person_id: str, new_ssin: str, at: datetime
) -> Joined:
    """D-08: the person goes by `new_ssin` from now on; the numbers before are replaced."""
    joined = await _join(session, person_id=person_id, ssin=new_ssin, at=at)
    await repository.set_status(session, ssin=new_ssin, status=NumberStatus.CURRENT, at=at)
    await repository.replace_others(session, person_id=joined.person_id, keep=new_ssin, at=at)
    return joined


async def _join(session: AsyncSession, *, person_id: str, ssin: str, at: datetime) -> Joined:
    """Make `ssin` one of the person's numbers, merging the record that held it, if any."""
    owner = await repository.claim_number(
        session, ssin=ssin, person_id=person_id, status=NumberStatus.PENDING, at=at
    )
    if owner == person_id:
        return Joined(person_id=person_id)
    await repository.lock(session, [person_id, owner])
    kept, given_up = rules.survivor_d08(
        PersonStamp(person_id, await repository.created_at(session, person_id)),
        PersonStamp(owner, await repository.created_at(session, owner)),
    )
    absorbed = await decisions.ids_for_person(session, given_up)
    await repository.merge_records(session, given_up=given_up, kept=kept, at=at)
    await decisions.move_to_person(session, given_up=given_up, kept=kept)
    return Joined(person_id=kept, merged=True, absorbed_decisions=absorbed)
