"""The directory's one-select region filter (issue 11): a regency in one submit, no JavaScript."""

import pytest

from regions.models import Regency
from tests.factories import make_community

pytestmark = pytest.mark.django_db

# The grouped region choices (one query with the provinces' names), the count and one page.
DIRECTORY_QUERIES = 3


@pytest.mark.parametrize("n", [1, 20])
def test_the_filter_reads_the_same_whatever_the_number_of_regencies_and_kims(
    client, world, django_assert_max_num_queries, n
):
    Regency.objects.bulk_create(
        Regency(
            code=f"35.{50 + i}",
            province=world.regions.jatim,
            name=f"Kabupaten Uji {i:02}",
            slug=f"kabupaten-uji-{i}",
            kind="kabupaten",
        )
        for i in range(n)
    )
    for i in range(n):
        make_community(
            village=world.regions.ketabang,
            slug=f"kim-uji-{i}",
            name=f"KIM Uji {i:02}",
            members=1,
            nomor_induk=f"3578091003{i + 10:02}",
        )
    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        response = client.get("/kim/?wilayah=35.78")
    text = response.content.decode()
    assert f'<option value="35.{50 + n - 1}">Kabupaten Uji {n - 1:02}</option>' in text
    assert "KIM Uji 00" in text and "KIM Gegerkalong" not in text
    assert "Set-Cookie" not in response.headers and "csrfmiddlewaretoken" not in text


def test_an_unknown_region_is_reported_and_ignored(client, world):
    text = client.get("/kim/?wilayah=35.99").content.decode()
    assert 'role="alert"' in text
    assert "KIM Gegerkalong Sejahtera" in text and "KIM Ketabang Maju" in text


def test_the_filter_and_search_work_together(client, world):
    text = client.get("/kim/?wilayah=32&q=ketabang").content.decode()
    assert "0 KIM ditemukan" in text
    text = client.get("/kim/?wilayah=35&q=ketabang").content.decode()
    assert "KIM Ketabang Maju" in text
