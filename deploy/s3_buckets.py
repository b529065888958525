"""Create the media buckets if missing and open the public prefix to readers (bucket policy).

    python deploy/s3_buckets.py        # with the app's environment (S3_BUCKET, ...)

Run by `deploy/entrypoint.sh setup` at every start; safe to repeat. Does nothing when media are
on disk (S3_BUCKET unset).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")

import django  # noqa: E402

django.setup()

from kimportal.lib.storage import s3_buckets_prepare  # noqa: E402

for line in s3_buckets_prepare():
    print(line)
