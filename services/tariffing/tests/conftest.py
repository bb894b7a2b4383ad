import pytest

from servicekit.service import ServiceDefinition
from tariffing.main import service


@pytest.fixture
def service_definition() -> ServiceDefinition:
    return service
