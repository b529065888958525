"""Media on a real S3-compatible server: the one .ci/run starts (moto_server) and names in
S3_TEST_ENDPOINT_URL. Without it the tests that use `s3_media` skip, and fail under CI
(tests.support).

Each test gets its own two buckets, prepared by the same code as production
(kimportal.lib.storage.s3_storages and s3_buckets_prepare), and removed afterwards.
"""

import os
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.storage import storages

from kimportal.lib.storage import s3_buckets_prepare, s3_storages
from posts.templatetags import media as media_tags
from tests.support import skip_or_fail

ACCESS_KEY = "kimtest"
SECRET_KEY = "kimtest-secret"  # noqa: S105 - moto accepts any key; nothing real
URL_SECONDS = 60


@dataclass
class Fetched:
    status: int
    body: bytes
    headers: dict[str, str]


def fetch(url: str) -> Fetched:
    """A plain HTTP GET, as a browser without any credentials makes it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Fetched(response.status, response.read(), headers)
    except urllib.error.HTTPError as error:
        headers = {k.lower(): v for k, v in error.headers.items()}
        return Fetched(error.code, error.read(), headers)


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    endpoint = os.environ.get("S3_TEST_ENDPOINT_URL", "")
    if not endpoint:
        skip_or_fail("needs S3_TEST_ENDPOINT_URL (an S3-compatible server; .ci/run starts one)")
    try:
        fetch(endpoint)
    except OSError as exc:
        skip_or_fail(f"the S3 server at {endpoint} does not answer: {exc}")
    return endpoint.rstrip("/")


@pytest.fixture
def s3_media(s3_endpoint, settings):
    """Both media storages on the S3 server, in buckets of this test's own (set before the
    shared world is built, so that its SK scans land there too)."""
    run = uuid.uuid4().hex[:12]
    public, private = s3_storages(
        public_bucket=f"kimtest-{run}-publik",
        private_bucket=f"kimtest-{run}-privat",
        endpoint_url=s3_endpoint,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        region="us-east-1",
        addressing_style="path",
        private_url_seconds=URL_SECONDS,
    )
    settings.STORAGES = {**settings.STORAGES, "default": public, "private": private}
    settings.PRIVATE_MEDIA_URL_SECONDS = URL_SECONDS
    # The template tags remember each storage's URL prefix by id(); a new storage may reuse an
    # old one's id.
    media_tags._prefix_of.clear()
    s3_buckets_prepare()
    yield
    for alias in ("default", "private"):
        bucket = storages[alias].bucket
        bucket.objects.all().delete()
        bucket.delete()
    media_tags._prefix_of.clear()
