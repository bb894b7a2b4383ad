import pytest

from servicekit.service import ServiceDefinition
from settlement.main import service


@pytest.fixture
def service_definition() -> ServiceDefinition:
    return service
