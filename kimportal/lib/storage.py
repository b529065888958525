"""Storage backends of our own, the private storage used by model fields, and the S3 layout
(two storages, one public prefix opened by a bucket policy, private files only by signed URL)."""

import json

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

# boto3 and django-storages' S3 backend (a third of a second to import) are imported only by the
# functions that need them: settings.py imports this module in every process, S3 or not.


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk that have no public URL: read them in a view that checks permission."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files are never served by URL")


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (like Django's default_storage), so that
    a FileField bound to it follows the settings in force rather than those at import time."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private = _PrivateStorage()


def private_storage() -> _PrivateStorage:
    return private


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private._wrapped = empty


# --- S3-compatible object storage ---------------------------------------------------------------

# A public file never changes under its name (renditions live in a fresh token folder, uploads
# never overwrite: file_overwrite off), so browsers keep it a year; shared caches (a CDN) only an
# hour, so that a photo taken down (moved to the private bucket and deleted here) stops being
# served to anyone who kept its address within the hour.
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, s-maxage=3600, immutable"
PUBLIC_LOCATION = "public"
PRIVATE_LOCATION = "private"


def s3_storages(
    *,
    public_bucket: str,
    private_bucket: str,
    endpoint_url: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    region: str | None = None,
    addressing_style: str | None = None,
    public_domain: str | None = None,
    public_cache_control: str = PUBLIC_CACHE_CONTROL,
    private_url_seconds: int = 60,
) -> tuple[dict, dict]:
    """STORAGES["default"] and STORAGES["private"] on S3 (settings.py and the S3 tests).

    No object ACLs: public reading is granted by the public bucket's policy on `public/*` alone
    (s3_buckets_prepare), which works where ACLs are disabled (AWS's default since 2023) and on
    stores that ignore them (MinIO). Private files are in `private/` of their own bucket, which
    no policy opens; they are reached only through a signed URL of `private_url_seconds`.
    """
    common = {
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "addressing_style": addressing_style or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    public = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": public_bucket,
            "location": PUBLIC_LOCATION,
            "querystring_auth": False,
            "custom_domain": public_domain or None,
            "object_parameters": {"CacheControl": public_cache_control},
        },
    }
    private = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": private_bucket,
            "location": PRIVATE_LOCATION,
            "querystring_auth": True,
            "querystring_expire": private_url_seconds,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
    return public, private


def signs_urls(storage) -> bool:
    """Whether `storage` hands out short-lived signed URLs (a private S3 bucket) rather than
    having no URL at all (files on disk)."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def public_read_policy(bucket: str, location: str) -> dict:
    """The bucket policy that lets anyone read the objects under `location/` and nothing else
    (no listing: an address must be known, and addresses carry random tokens)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicReadOfPublicPrefix",
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/{location}/*"],
            }
        ],
    }


def _bucket_ensure(storage) -> bool:
    """Create the storage's bucket unless it exists. Returns whether it was created."""
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
        return False
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
    options = {}
    if storage.region_name and storage.region_name != "us-east-1":
        options["CreateBucketConfiguration"] = {"LocationConstraint": storage.region_name}
    client.create_bucket(Bucket=storage.bucket_name, **options)
    return True


def s3_buckets_prepare() -> list[str]:
    """Create the buckets of STORAGES["default"] and ["private"] if missing, and give the public
    one its read policy. Safe to run at every start (deploy/entrypoint.sh setup). Returns what
    it did, one line each."""
    from storages.backends.s3 import S3Storage

    public, private_files = storages["default"], storages["private"]
    if not isinstance(public, S3Storage) or not isinstance(private_files, S3Storage):
        return ["media on disk: no bucket to prepare"]
    done = []
    for storage in (public, private_files):
        created = _bucket_ensure(storage)
        done.append(f"bucket {storage.bucket_name}: {'created' if created else 'exists'}")
    policy = public_read_policy(public.bucket_name, public.location)
    public.connection.meta.client.put_bucket_policy(
        Bucket=public.bucket_name, Policy=json.dumps(policy)
    )
    done.append(f"bucket {public.bucket_name}: anyone may read {public.location}/*")
    return done
