"""Sitemaps, feeds, robots.txt and the open-data downloads have one address each: a query string
(which makes every cache miss) is redirected away before anything is built."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PORTAL = "localhost"
SUBSITE = "kim-ketabang.localhost"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        (PORTAL, "/sitemap.xml"),
        (PORTAL, "/sitemap-wilayah-1.xml"),
        (PORTAL, "/feed/"),
        (PORTAL, "/feed/rss/"),
        (PORTAL, "/robots.txt"),
        (PORTAL, "/data/kim.csv"),
        (PORTAL, "/data/kim.json"),
        (PORTAL, "/data/statistik-provinsi.csv"),
        (SUBSITE, "/sitemap.xml"),
        (SUBSITE, "/feed/"),
    ],
)
def test_a_query_string_is_sent_to_the_one_address(client, world, host, path):
    assert client.get(path, host=host).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path + "?x=1&utm_source=wa", host=host)
    assert response.status_code == 301 and response["Location"] == path
    assert not [q for q in queries.captured_queries if "posts_post" in q["sql"]]
