import pytest
from django.core.cache import cache

from kimportal.lib import page_cache
from tests.factories import make_region_tree, make_world
from tests.support import HostClient


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


@pytest.fixture
def page_cache_on(settings):
    """The whole-page cache as in production (the suite runs without it: see settings_test)."""
    settings.PAGE_CACHE_SECONDS = 3600
    page_cache.near.clear()  # pages a previous test kept in this process


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploads and renditions go to a throwaway folder, never into the working tree."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root / "public"
    settings.PRIVATE_MEDIA_ROOT = root / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root / "public"},
        },
        "private": {
            "BACKEND": "kimportal.lib.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root / "private"},
        },
    }
