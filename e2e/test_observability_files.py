"""The Grafana dashboard and the Prometheus alert rules name only metrics the services serve,
and the dashboard shows every one of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client.metrics import MetricWrapperBase

import invoicing.invoices.metrics
import invoicing.payments.metrics
import servicekit.messaging.parking
import servicekit.metrics
import settlement.settlements.metrics

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
METRIC = re.compile(r"\bmediprima_[a-z0-9_]+")
DEFINING_MODULES = (
    servicekit.metrics,
    servicekit.messaging.parking,
    invoicing.invoices.metrics,
    invoicing.payments.metrics,
    settlement.settlements.metrics,
)
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "counter": ("_total",), "gauge": ("",)}


def served() -> dict[str, set[str]]:
    """Each mediprima metric family and the sample names Prometheus sees of it."""
    return {
        family.name: {family.name + suffix for suffix in SUFFIXES[family.type]}
        for module in DEFINING_MODULES
        for metric in vars(module).values()
        if isinstance(metric, MetricWrapperBase)
        for family in metric.describe()
    }


def alert_rules() -> list[dict[str, object]]:
    document = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "mediprima.json").read_text())
    variables = [variable.get("definition", "") for variable in dashboard["templating"]["list"]]
    targets = [
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    ]
    return variables + targets


def test_every_alert_names_served_metrics_and_tells_what_to_do() -> None:
    sample_names = set().union(*served().values())
    rules = alert_rules()
    assert {rule["alert"] for rule in rules} >= {
        "MediprimaConsumerLagging",
        "MediprimaOutboxBacklogOld",
        "MediprimaDeadLetters",
        "MediprimaPaymentDelayAverageAboveTarget",
        "MediprimaPaymentDelayOverEightDays",
    }
    for rule in rules:
        named = set(METRIC.findall(str(rule["expr"])))
        assert named, rule["alert"]
        assert named <= sample_names, (rule["alert"], named - sample_names)
        assert rule["labels"]["severity"] in {"warning", "critical"}  # type: ignore[index]
        assert rule["annotations"]["description"]  # type: ignore[index]


def test_the_dashboard_shows_every_served_metric_and_no_other() -> None:
    families = served()
    named = {name for expression in dashboard_expressions() for name in METRIC.findall(expression)}

    assert named <= set().union(*families.values()), named - set().union(*families.values())
    shown = {family for family, samples in families.items() if samples & named}
    assert shown == set(families)
