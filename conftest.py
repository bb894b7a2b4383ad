import os

pytest_plugins = ["servicekit.pytest_plugin"]


def pytest_report_header() -> list[str]:
    """Say which real infrastructure the Kafka and PostgreSQL tests run against."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "NOT SET: Kafka tests will fail")
    postgres = os.environ.get("MEDIPRIMA_TEST_POSTGRES_URL", "NOT SET: PostgreSQL tests will fail")
    return [f"kafka: {kafka}", f"postgresql: {postgres}"]
