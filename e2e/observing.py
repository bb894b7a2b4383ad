"""Reading a service's `/metrics` in tests: each sample by its name and labels."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample's value; 0 when the series does not exist yet (a counter never incremented)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def increase(before: Samples, after: Samples, name: str, **labels: str) -> float:
    """How much a counter or histogram count grew between two scrapes: counters live in the
    process, and other tests of the same worker may have counted before this one."""
    return value(after, name, **labels) - value(before, name, **labels)


def series(samples: Samples, name: str) -> list[Mapping[str, str]]:
    return [dict(labels) for sample_name, labels in samples if sample_name == name]
