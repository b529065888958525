import pytest

from kimportal.testing import HostClient
from tests.factories import make_region_tree


@pytest.fixture
def client() -> HostClient:
    return HostClient()


@pytest.fixture
def regions(db):
    """Two provinces, each with two regencies, districts and villages (see make_region_tree)."""
    return make_region_tree()
