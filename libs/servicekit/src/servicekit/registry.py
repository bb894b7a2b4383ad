"""Services announce themselves through the `mediprima.services` entry-point group; browser-facing
apps that own no database or bus (the console) through `mediprima.web`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from fastapi import FastAPI

from servicekit.service import ServiceDefinition

GROUP = "mediprima.services"
WEB_GROUP = "mediprima.web"


@dataclass(frozen=True)
class WebApp:
    """An app served beside the services that calls their APIs and keeps no data of its own.

    `settings(port_offset)` reads its settings, shifting its own port and the services' ports by
    the offset (as `mediprima serve --port-offset` does for a service); `create_app` builds it.
    """

    name: str
    settings: Callable[[int], Any]
    create_app: Callable[[Any], FastAPI]


def service_names() -> list[str]:
    return sorted(point.name for point in entry_points(group=GROUP))


def web_app_names() -> list[str]:
    return sorted(point.name for point in entry_points(group=WEB_GROUP))


def load_service(name: str) -> ServiceDefinition:
    for point in entry_points(group=GROUP):
        if point.name == name:
            definition = point.load()
            if not isinstance(definition, ServiceDefinition):
                raise TypeError(f"{point.value} is not a ServiceDefinition")
            return definition
    known = ", ".join([*service_names(), *web_app_names()])
    raise LookupError(f"unknown service {name!r}; known: {known}")


def load_web_app(name: str) -> WebApp:
    for point in entry_points(group=WEB_GROUP):
        if point.name == name:
            web_app = point.load()
            if not isinstance(web_app, WebApp):
                raise TypeError(f"{point.value} is not a WebApp")
            return web_app
    raise LookupError(f"unknown web app {name!r}; known: {', '.join(web_app_names())}")
