"""Build the AsyncAPI 3.0 document from the registered event versions.

One channel per topic (its address is the topic), one message per event type and version, whose
payload is the envelope with its JSON Schema as exported to `schemas/` (the `$defs` of all events
gathered under `components.schemas`), and one `send` operation per channel: the platform
publishes every topic; which service reads which is in docs/security.md and `mediprima
kafka-acls`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from mediprima_contracts.envelope import EventData
from mediprima_contracts.registry import EVENT_CLASSES
from mediprima_contracts.schemas.export import event_schema

DOCUMENT_PATH = Path(__file__).resolve().parents[3] / "asyncapi.json"
EXPORT_COMMAND = "uv run python -m mediprima_contracts.asyncapi export"
_DEFS = "#/$defs/"
_COMPONENTS = "#/components/schemas/"

Json = dict[str, Any]


def message_id(event: type[EventData]) -> str:
    return f"{event.event_type}.v{event.event_version}"


@cache
def asyncapi_document() -> Json:
    """The whole document; the same on every call and in every process."""
    schemas: Json = {}
    messages: Json = {}
    channels: Json = {}
    operations: Json = {}
    for event in EVENT_CLASSES:
        key = message_id(event)
        schemas[key] = _gather(event_schema(event), schemas, key)
        messages[key] = _message(event, key)
    for topic, events in _by_topic(EVENT_CLASSES).items():
        channels[topic] = _channel(topic, events)
        operations[f"send.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{_pointer(topic)}"},
            "title": f"Publish to {topic}",
            "summary": "Written to the producer's outbox with its state change, then published "
            "(idempotent producer, acks=all), keyed by the aggregate id.",
            "messages": [
                {"$ref": f"#/channels/{_pointer(topic)}/messages/{_pointer(message_id(event))}"}
                for event in events
            ],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "MediPrima events",
            "version": "1.0.0",
            "description": _INFO,
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {
                "host": "mediprima-kafka-bootstrap:9093",
                "protocol": "kafka-secure",
                "description": "The platform's Kafka (deploy/k8s): TLS, SCRAM-SHA-512, one user "
                "and ACLs per service.",
                "security": [{"$ref": "#/components/securitySchemes/scram"}],
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "scram": {
                    "type": "scramSha512",
                    "description": "Each service's own Kafka user (docs/security.md).",
                }
            },
        },
    }


_INFO = (
    "Every event of the MediPrima platform, on Kafka or the SQL event log alike, travels in one "
    "envelope (`id`, `type`, `version`, `occurred_at`, `source`, `subject`, `correlation_id`, "
    "`data`); `subject` is the aggregate id and the Kafka key, so one aggregate's events stay in "
    "order. A change that is not backward compatible gets a new event version, and consumers "
    "accept every version still in use. Consumers ignore unknown fields. Each consumer group "
    "also has a dead-letter topic, `mediprima.dead-letter.<group>`, holding the events it could "
    "not apply, unchanged, with headers naming the error and where the event came from. "
    "Generated from "
    "libs/contracts (`" + EXPORT_COMMAND + "`)."
)


def _by_topic(events: Iterable[type[EventData]]) -> dict[str, list[type[EventData]]]:
    topics: dict[str, list[type[EventData]]] = {}
    for event in events:
        topics.setdefault(event.topic, []).append(event)
    return dict(sorted(topics.items()))


def _channel(topic: str, events: list[type[EventData]]) -> Json:
    family = sys.modules[events[0].__module__].__doc__ or topic
    return {
        "address": topic,
        "title": topic,
        "description": family.strip(),
        "messages": {
            message_id(event): {"$ref": f"#/components/messages/{_pointer(message_id(event))}"}
            for event in events
        },
    }


def _message(event: type[EventData], key: str) -> Json:
    summary = (event.__doc__ or event.__name__).strip().splitlines()[0]
    return {
        "name": event.__name__,
        "title": f"{event.event_type} v{event.event_version}",
        "summary": summary,
        "contentType": "application/json",
        "correlationId": {"location": "$message.payload#/correlation_id"},
        "payload": {"$ref": f"{_COMPONENTS}{_pointer(key)}"},
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": f"The aggregate id: the envelope's `subject`, "
                    f"`data.{event.subject_field}`.",
                },
                "bindingVersion": "0.5.0",
            }
        },
    }


def _gather(schema: Json, schemas: Json, owner: str) -> Json:
    """Move a schema's `$defs` into `schemas` (shared where two events define one the same way,
    named after `owner` where they differ) and point its `$ref`s there."""
    definitions: Json = schema.pop("$defs", {})
    schema.pop("$schema", None)
    names = {}
    for name, definition in definitions.items():
        shared = schemas.get(name)
        names[name] = name if shared is None or shared == definition else f"{name}.{owner}"
    renamed = _rename(definitions, names)
    for name, definition in renamed.items():
        schemas[names[name]] = definition
    result: Json = _rename(schema, names)
    return result


def _rename(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS):
            node = {**node, "$ref": _COMPONENTS + _pointer(names[ref.removeprefix(_DEFS)])}
        return {key: _rename(value, names) for key, value in node.items()}
    if isinstance(node, list):
        return [_rename(item, names) for item in node]
    return node


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def render(document: Json | None = None) -> str:
    return json.dumps(document or asyncapi_document(), indent=2, ensure_ascii=False) + "\n"
