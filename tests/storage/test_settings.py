"""The S3 settings as parsed at start-up (a fresh interpreter each, as tests/kimportal's)."""

import json

from kimportal.lib.storage import PUBLIC_CACHE_CONTROL
from tests.kimportal.test_settings import PRODUCTION, run_django

S3 = {
    **PRODUCTION,
    "S3_BUCKET": "kim-publik",
    "S3_ENDPOINT_URL": "https://s3.example.id",
    "S3_ACCESS_KEY_ID": "kunci",
    "S3_SECRET_ACCESS_KEY": "rahasia",
}
SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'storages': settings.STORAGES, "
    "'seconds': settings.PRIVATE_MEDIA_URL_SECONDS}, default=str))"
)


def _settings(**extra: str) -> dict:
    result = run_django({**S3, **extra}, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_public_and_private_files_go_to_their_own_prefix_and_bucket_without_acls():
    shown = _settings(S3_PRIVATE_BUCKET="kim-privat", PRIVATE_MEDIA_URL_SECONDS="45")
    public = shown["storages"]["default"]["OPTIONS"]
    private = shown["storages"]["private"]["OPTIONS"]
    assert (public["bucket_name"], public["location"]) == ("kim-publik", "public")
    assert (private["bucket_name"], private["location"]) == ("kim-privat", "private")
    assert public["default_acl"] is None and private["default_acl"] is None
    assert public["querystring_auth"] is False
    assert public["object_parameters"] == {"CacheControl": PUBLIC_CACHE_CONTROL}
    assert private["querystring_auth"] is True and private["querystring_expire"] == 45
    assert shown["seconds"] == 45
    # An endpoint of our own is addressed by path (bucket.<host> would need DNS).
    assert public["addressing_style"] == private["addressing_style"] == "path"


def test_without_a_private_bucket_private_files_stay_in_the_private_prefix_of_the_one_bucket():
    private = _settings()["storages"]["private"]["OPTIONS"]
    assert (private["bucket_name"], private["location"]) == ("kim-publik", "private")


def test_a_signed_url_may_not_outlive_an_hour():
    result = run_django({**S3, "PRIVATE_MEDIA_URL_SECONDS": "86400"}, "check")
    assert result.returncode != 0 and "PRIVATE_MEDIA_URL_SECONDS" in result.stderr
