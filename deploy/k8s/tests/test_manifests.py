"""The Kubernetes manifests: generated from the service definitions, with the ACLs
`mediprima kafka-acls` prints, and a validation that refuses an invalid manifest."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from servicekit.bus.kafka_acls import service_acls
from servicekit.registry import load_service, service_names

K8S = Path(__file__).resolve().parents[1]
ROOT = K8S.parents[1]


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"k8s_{name}", K8S / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(file: str) -> list[dict[str, Any]]:
    text = (K8S / "base" / "generated" / file).read_text()
    return [doc for doc in yaml.safe_load_all(text) if doc]


def test_the_committed_manifests_are_what_the_service_definitions_give() -> None:
    wanted = load_script("generate").rendered()

    committed = {path.name: path.read_text() for path in (K8S / "base/generated").glob("*.yaml")}

    assert committed == wanted


@pytest.mark.parametrize("name", service_names())
def test_each_kafka_user_has_exactly_the_acls_mediprima_kafka_acls_prints(name: str) -> None:
    (user,) = [doc for doc in generated("kafka-users.yaml") if doc["metadata"]["name"] == name]
    granted = {
        f"User:{name} {operation.upper()} {rule['resource']['type'].upper()} "
        f"{rule['resource']['name']}"
        for rule in user["spec"]["authorization"]["acls"]
        for operation in rule["operations"]
    }

    assert granted == {str(acl) for acl in service_acls(load_service(name))}
    assert user["spec"]["authentication"] == {"type": "scram-sha-512"}


def test_every_topic_a_service_uses_is_a_kafka_topic_with_min_in_sync_replicas() -> None:
    topics = {doc["spec"]["topicName"]: doc["spec"] for doc in generated("kafka-topics.yaml")}

    used = {topic for name in service_names() for topic in load_service(name).topics()}

    assert set(topics) == used
    assert {spec["config"]["min.insync.replicas"] for spec in topics.values()} == {2}
    assert {spec["replicas"] for spec in topics.values()} == {3}


@pytest.mark.parametrize("name", service_names())
def test_the_api_pods_serve_the_api_only_and_the_workers_pods_run_the_rest(name: str) -> None:
    deployments = {
        doc["metadata"]["labels"]["app.kubernetes.io/component"]: doc
        for doc in generated(f"{name}.yaml")
        if doc["kind"] == "Deployment"
    }

    def env(component: str) -> dict[str, str]:
        (container,) = deployments[component]["spec"]["template"]["spec"]["containers"]
        return {item["name"]: item.get("value", "") for item in container["env"]}

    off = {f"MEDIPRIMA_RUN_{part}": "false" for part in ("CONSUMERS", "RELAY", "BACKGROUND")}
    assert off.items() <= env("api").items()
    assert not off.keys() & env("workers").keys()


@pytest.mark.parametrize("name", service_names())
def test_the_owner_migrates_and_the_service_runs_as_its_runtime_role(name: str) -> None:
    documents = generated(f"{name}.yaml")
    (cluster,) = [doc for doc in documents if doc["kind"] == "Cluster"]
    runtime = name.replace("-", "_") + "_app"

    def database_secrets(doc: dict[str, Any]) -> tuple[set[str], dict[str, str]]:
        (container,) = doc["spec"]["template"]["spec"]["containers"]
        secrets = {
            item["valueFrom"]["secretKeyRef"]["name"]
            for item in container["env"]
            if item["name"] in ("DB_USER", "DB_PASSWORD")
        }
        return secrets, {item["name"]: item.get("value", "") for item in container["env"]}

    (role,) = cluster["spec"]["managed"]["roles"]
    assert role["name"] == runtime
    assert role["passwordSecret"] == {"name": f"{name}-db-runtime"}
    for doc in documents:
        if doc["kind"] == "Job":
            secrets, env = database_secrets(doc)
            assert secrets == {f"{name}-db-app"}  # the owner's, CloudNativePG's
            assert env["MEDIPRIMA_DATABASE_RUNTIME_ROLE"] == runtime
        elif doc["kind"] == "Deployment":
            secrets, env = database_secrets(doc)
            assert secrets == {f"{name}-db-runtime"}
            assert "MEDIPRIMA_DATABASE_RUNTIME_ROLE" not in env


@pytest.mark.parametrize("name", service_names())
def test_the_workers_scale_up_to_the_partition_count_and_the_api_by_cpu(name: str) -> None:
    documents = generated(f"{name}.yaml")
    scalers = {
        doc["spec"]["scaleTargetRef"]["name"]: doc["spec"]
        for doc in documents
        if doc["kind"] == "HorizontalPodAutoscaler"
    }
    partitions = {doc["spec"]["partitions"] for doc in generated("kafka-topics.yaml")}

    assert set(scalers) == {f"{name}-api", f"{name}-workers"}
    assert {scalers[f"{name}-workers"]["maxReplicas"]} == partitions
    for doc in documents:
        if doc["kind"] == "Deployment":
            assert "replicas" not in doc["spec"]  # the autoscaler's


def test_the_validation_refuses_an_invalid_manifest() -> None:
    subprocess.run([str(K8S / "tools.sh")], check=True, env={**os.environ})
    bad = K8S / "invalid" / "misspelt-field.yaml"

    refused = subprocess.run(
        [sys.executable, str(K8S / "validate.py"), str(bad)],
        capture_output=True,
        text=True,
    )
    good = subprocess.run(
        [sys.executable, str(K8S / "validate.py"), str(K8S / "base" / "network.yaml")],
        capture_output=True,
        text=True,
    )

    assert refused.returncode == 1
    assert "additional properties 'replica' not allowed" in refused.stdout
    assert good.returncode == 0, good.stdout + good.stderr


def _config_literals(kustomization: Path) -> dict[str, str]:
    literals = {}
    for generator in yaml.safe_load(kustomization.read_text()).get("configMapGenerator", []):
        if generator["name"] == "mediprima-config":
            literals.update(line.split("=", 1) for line in generator["literals"])
    return literals


def test_the_production_console_starts_signing_users_in_with_openid_connect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The console as the production overlay configures it (the config map, then the
    Deployment's own variables, each secret given some value) passes its production checks."""
    from console.settings import ConsoleSettings

    (deployment,) = [
        doc
        for doc in yaml.safe_load_all((K8S / "console/console.yaml").read_text())
        if doc["kind"] == "Deployment"
    ]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    env = {
        **_config_literals(K8S / "base/kustomization.yaml"),
        **_config_literals(K8S / "overlays/production/kustomization.yaml"),
        **{item["name"]: item.get("value", "from-a-secret") for item in container["env"]},
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    settings = ConsoleSettings()

    assert settings.mode == "production"
    assert settings.signs_in_with_oidc
    assert settings.public_url == "https://console.example.org"
    assert settings.auth_issuer == "https://idp.example.org/realms/mediprima"
