import pytest

from consultation.main import service
from servicekit.service import ServiceDefinition


@pytest.fixture
def service_definition() -> ServiceDefinition:
    return service
