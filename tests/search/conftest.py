from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from posts.text import render_body
from tests.factories import make_post
from tests.support import skip_or_fail


def published(community, title: str, *, days_ago: float = 0, **fields):
    body = fields.pop("body", f"Isi tulisan {title}.")
    moment = fields.pop("published_at", timezone.now() - timedelta(days=days_ago, minutes=1))
    return make_post(
        community,
        title=title,
        status="published",
        published_at=moment,
        body=body,
        body_html=render_body(body),
        **fields,
    )


@pytest.fixture
def pg(db):
    """Search proper (tsvector, trigrams, triggers) runs on PostgreSQL only."""
    if connection.vendor != "postgresql":
        skip_or_fail("search needs a PostgreSQL DATABASE_URL")
