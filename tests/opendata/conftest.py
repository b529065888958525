import pytest

from stats.services import summaries_refresh
from tests.opendata.helpers import populate


@pytest.fixture
def w(world):
    """The shared world with public and hidden rows of every kind (tests.opendata.helpers), and
    the statistics summaries refreshed over it (the statistics files read them)."""
    populate(world)
    summaries_refresh()
    return world
