import os

pytest_plugins = ["servicekit.pytest_plugin"]


def pytest_report_header() -> list[str]:
    """Say which real infrastructure the Kafka and PostgreSQL tests run against."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "NOT SET: Kafka tests will fail")
    postgres = os.environ.get("MEDIPRIMA_TEST_POSTGRES_URL", "NOT SET: PostgreSQL tests will fail")
    return [f"kafka: {kafka}", f"postgresql: {postgres}"]


def pytest_make_parametrize_id(config: object, val: object, argname: str) -> str | None:
    """Identifiers made at random (SSINs, RIZIV numbers...) get stable test ids, so parallel
    workers (pytest-xdist) collect the same tests."""
    from mediprima_contracts.values import ValidatedString

    return argname if isinstance(val, ValidatedString) else None
