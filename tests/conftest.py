import pytest
from django.core.cache import cache

from kimportal.testing import HostClient
from tests.factories import make_region_tree, make_world


@pytest.fixture
def client() -> HostClient:
    return HostClient()


@pytest.fixture
def regions(db):
    """Two provinces, each with two regencies, districts and villages (see make_region_tree)."""
    return make_region_tree()


@pytest.fixture
def world(db):
    """Two KIMs in two provinces with every role; see tests.factories.make_world."""
    return make_world()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Host lookups are cached; each test starts with an empty cache (Redis db in CI)."""
    cache.clear()
    yield
    cache.clear()
