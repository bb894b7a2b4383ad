"""Kafka with authentication: each service its own SCRAM user, allowed only its own topics and
groups; production refuses a broker without authentication; passwords never shown."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from aiokafka.errors import TopicAuthorizationFailedError
from pydantic import SecretStr, ValidationError
from typer.testing import CliRunner

from servicekit.bus.api import BusUnavailableError, OutgoingRecord
from servicekit.bus.kafka import KafkaBus
from servicekit.bus.kafka_acls import Acl, Operation, Resource, create_acls, service_acls
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.cli import app
from servicekit.namespace import NamespacedBus
from servicekit.registry import load_service
from servicekit.settings import ServiceSettings
from servicekit.testing import kafka_user


def test_the_password_is_read_from_its_file_and_never_shown(tmp_path: Path) -> None:
    secret = tmp_path / "consultation.password"
    secret.write_text("s3cret-from-the-mounted-file\n")
    security = KafkaSecurity(
        security_protocol="SASL_SSL", sasl_username="consultation", sasl_password_file=secret
    )
    inline = KafkaSecurity(
        security_protocol="SASL_PLAINTEXT",
        sasl_username="consultation",
        sasl_password=SecretStr("s3cret-inline"),
    )

    assert security.client_options()["sasl_plain_password"] == "s3cret-from-the-mounted-file"
    assert security.client_options()["ssl_context"] is not None  # TLS: a setting, no code
    settings = ServiceSettings(kafka_security=inline)
    for shown in (repr(security), str(inline), repr(settings), settings.model_dump_json()):
        assert "s3cret" not in shown


def test_sasl_without_a_user_or_password_is_refused() -> None:
    with pytest.raises(ValidationError, match="USERNAME"):
        KafkaSecurity(security_protocol="SASL_SSL", sasl_username=None)
    with pytest.raises(ValidationError, match="PASSWORD"):
        KafkaSecurity(
            security_protocol="SASL_SSL",
            sasl_username="consultation",
            sasl_password=None,
            sasl_password_file=None,
        )


def test_production_refuses_kafka_without_authentication() -> None:
    real = {
        "mode": "production",
        "database_url": "sqlite+aiosqlite:///x.db",
        "auth_jwks_url": "https://sts.example/jwks",
        "auth_issuer": "https://sts.example",
        "auth_audience": "mediprima",
        "bus": "kafka",
    }
    plaintext = KafkaSecurity(security_protocol="PLAINTEXT")
    scram = KafkaSecurity(
        security_protocol="SASL_SSL", sasl_username="invoicing", sasl_password=SecretStr("x")
    )

    with pytest.raises(ValidationError, match="Kafka without authentication"):
        ServiceSettings(**real, kafka_security=plaintext)
    assert ServiceSettings(**real, kafka_security=scram).kafka_security.authenticated


def test_consultation_may_read_decisions_but_write_only_its_own_topics() -> None:
    acls = service_acls(load_service("consultation"), topic_prefix="prod.")

    def allowed(operation: Operation, topic: str) -> bool:
        return Acl("User:consultation", Resource.TOPIC, topic, operation) in acls

    assert allowed(Operation.READ, "prod.mediprima.decisions")
    assert not allowed(Operation.WRITE, "prod.mediprima.decisions")
    assert allowed(Operation.WRITE, "prod.mediprima.consultations")
    assert allowed(Operation.WRITE, "prod.mediprima.certificates")
    assert (
        Acl("User:consultation", Resource.GROUP, "prod.consultation.decisions", Operation.READ)
        in acls
    )
    assert {acl.principal for acl in acls} == {"User:consultation"}


def _record(topic: str) -> OutgoingRecord:
    return OutgoingRecord(topic, "subject-1", b"{}", {})


@pytest.mark.kafka
async def test_the_broker_refuses_a_service_user_the_topics_outside_its_acls(
    kafka_servers: str,
) -> None:
    prefix = f"acl{uuid.uuid4().hex[:8]}."
    consultation = load_service("consultation")
    await create_acls(
        kafka_servers, KafkaSecurity(), service_acls(consultation, topic_prefix=prefix)
    )
    bus = NamespacedBus(KafkaBus(kafka_servers, security=kafka_user("consultation")), prefix)
    await bus.start()
    try:
        await bus.create_topics(consultation.topics())
        await bus.publish([_record("mediprima.consultations")])
        with pytest.raises(TopicAuthorizationFailedError):
            await bus.publish([_record("mediprima.decisions")])
    finally:
        await bus.close()


@pytest.mark.kafka
async def test_the_broker_refuses_a_wrong_password(kafka_servers: str) -> None:
    user = kafka_user("consultation")
    impostor = user.model_copy(update={"sasl_password": SecretStr("not-the-password")})

    with pytest.raises(BusUnavailableError):
        await KafkaBus(kafka_servers, security=impostor, ping_timeout=10).ping()
    await KafkaBus(kafka_servers, security=user, ping_timeout=10).ping()


def test_the_kafka_acls_command_lists_every_service_user_and_its_rights() -> None:
    result = CliRunner().invoke(app, ["kafka-acls", "--topic-prefix", "prod."])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "User:consultation READ TOPIC prod.mediprima.decisions" in lines
    assert "User:decision-registry WRITE TOPIC prod.mediprima.decisions" in lines
    assert "User:consultation WRITE TOPIC prod.mediprima.decisions" not in lines
    principals = {line.split()[0] for line in lines}
    assert principals == {
        "User:decision-registry",
        "User:consultation",
        "User:tariffing",
        "User:invoicing",
        "User:settlement",
    }
