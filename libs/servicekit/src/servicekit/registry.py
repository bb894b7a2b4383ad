"""Services announce themselves through the `mediprima.services` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points

from servicekit.service import ServiceDefinition

GROUP = "mediprima.services"


def service_names() -> list[str]:
    return sorted(point.name for point in entry_points(group=GROUP))


def load_service(name: str) -> ServiceDefinition:
    for point in entry_points(group=GROUP):
        if point.name == name:
            definition = point.load()
            if not isinstance(definition, ServiceDefinition):
                raise TypeError(f"{point.value} is not a ServiceDefinition")
            return definition
    raise LookupError(f"unknown service {name!r}; known: {', '.join(service_names())}")
