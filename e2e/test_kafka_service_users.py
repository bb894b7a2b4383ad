"""The platform on Kafka with authentication on: every service connects as its own SCRAM user,
allowed by ACLs only the topics and groups its definition names, and the invoice still walks
from the OCMW's decision to the month's settlement."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from e2e.platform import running_platform
from e2e.walkthrough import Actors, walk_invoice_through
from servicekit.bus.kafka_acls import create_acls, service_acls, service_user
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.registry import load_service, service_names
from servicekit.testing import KAFKA_ENV, TokenFactory, kafka_user, required_env


@pytest.mark.e2e
@pytest.mark.kafka
@pytest.mark.postgres
async def test_an_invoice_walks_through_services_that_each_hold_only_their_own_acls(
    tmp_path: Path,
) -> None:
    prefix = f"e2eacl{uuid.uuid4().hex[:8]}."
    own_users: dict[str, dict[str, Any]] = {}
    for name in service_names():
        definition = load_service(name)
        await create_acls(
            required_env(KAFKA_ENV), KafkaSecurity(), service_acls(definition, topic_prefix=prefix)
        )
        own_users[name] = {
            "topic_prefix": prefix,
            "kafka_security": kafka_user(service_user(definition)),
        }
    tokens = TokenFactory.create(tmp_path / "keys")
    actors = Actors.fresh(tokens.headers)

    async with running_platform("kafka", tmp_path, tokens, settings=own_users) as clients:
        result = await walk_invoice_through(clients, actors, today=datetime.now(UTC).date())

    totals = result.settlement["totals"]
    assert totals["lines"] == 1
    paid_by_payer = Decimal(totals["state_share"]) + Decimal(totals["ocmw_share"])
    assert paid_by_payer == result.paid_amount
