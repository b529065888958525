import pytest

from tests.opendata.helpers import populate


@pytest.fixture
def w(world):
    """The shared world with public and hidden rows of every kind (tests.opendata.helpers)."""
    return populate(world)
