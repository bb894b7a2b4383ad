"""Each service's Kafka user and the smallest set of ACLs it runs with, from its definition.

A service may:
- WRITE (and DESCRIBE) the topics it publishes and the dead-letter topic of each of its groups;
- READ (and DESCRIBE) the topics its consumer groups read, and READ its own groups;
- CREATE exactly the topics it uses, because every service creates the topics it needs at start
  (`ServiceDefinition.topics`), so the start order does not matter.
All on literal names (with the deployment's topic prefix): nothing else, no cluster rights. The
idempotent producer needs no IDEMPOTENT_WRITE: WRITE on a topic is enough since Kafka 3.0.
The broker runs with `allow.everyone.if.no.acl.found=false`, so everything else is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from aiokafka import AIOKafkaClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest

from servicekit.bus.factory import dead_letter_topic
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.service import ServiceDefinition


class Resource(IntEnum):
    """Kafka's resource type codes."""

    TOPIC = 2
    GROUP = 3


class Operation(IntEnum):
    """Kafka's ACL operation codes."""

    READ = 3
    WRITE = 4
    CREATE = 5
    DESCRIBE = 8


LITERAL = 3
ALLOW = 3


@dataclass(frozen=True, order=True)
class Acl:
    """Allow `principal` (`User:<name>`) the `operation` on one resource, from any host."""

    principal: str
    resource: Resource
    name: str
    operation: Operation

    def __str__(self) -> str:
        return f"{self.principal} {self.operation.name} {self.resource.name} {self.name}"


def service_user(definition: ServiceDefinition) -> str:
    """The Kafka user a service authenticates as: its name (e.g. `consultation`)."""
    return definition.name


def service_acls(definition: ServiceDefinition, *, topic_prefix: str = "") -> list[Acl]:
    principal = f"User:{service_user(definition)}"
    rights: set[Acl] = set()

    def allow(resource: Resource, names: Iterable[str], *operations: Operation) -> None:
        rights.update(
            Acl(principal, resource, topic_prefix + name, operation)
            for name in names
            for operation in operations
        )

    dead_letters = [dead_letter_topic(spec.group) for spec in definition.consumers]
    allow(
        Resource.TOPIC, [*definition.publishes, *dead_letters], Operation.WRITE, Operation.DESCRIBE
    )
    for spec in definition.consumers:
        allow(Resource.TOPIC, spec.topics, Operation.READ, Operation.DESCRIBE)
        allow(Resource.GROUP, [spec.group], Operation.READ)
    allow(Resource.TOPIC, definition.topics(), Operation.CREATE)
    return sorted(rights)


async def create_acls(bootstrap_servers: str, security: KafkaSecurity, acls: Sequence[Acl]) -> None:
    """Add `acls` (existing ones stay) as a user allowed to alter the cluster, e.g. the admin."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap_servers, **security.client_options())
    await client.bootstrap()
    try:
        node = client.get_random_node()
        for acl in acls:
            request = CreateAclsRequest(
                acl.resource, acl.name, LITERAL, acl.principal, "*", acl.operation, ALLOW
            )
            response = await client.send(node, request)
            for code, message in response.creation_responses:
                if code:
                    raise for_code(code)(f"cannot add ACL {acl}: {message}")
    finally:
        await client.close()
