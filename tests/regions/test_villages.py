"""Villages on a district page list their KIMs or invite a sign-up there (issue 11)."""

import pytest

from communities.models import Community
from regions.models import Village
from tests.factories import make_community

pytestmark = pytest.mark.django_db

# The district page's queries (tests/regions/test_views.py) and the villages' KIMs (one query).
DISTRICT_PAGE_QUERIES = 8
GENTENG = "/wilayah/jawa-timur/kota-surabaya/genteng/"


def test_a_village_lists_its_verified_kims_and_a_village_without_invites_a_sign_up(client, world):
    response = client.get(GENTENG)
    text = response.content.decode()
    ketabang = text.split('id="desa-35.78.09.1003"')[1].split("</li>\n  \n")[0]
    assert 'href="http://kim-ketabang.localhost:8000/">KIM Ketabang Maju</a>' in ketabang
    assert "Belum ada KIM di desa ini" not in ketabang
    # Kapasari has only a pending sign-up: no public KIM yet, so it invites one.
    kapasari = text.split('id="desa-35.78.09.1005"')[1]
    assert "KIM Kapasari" not in kapasari.split("</li>")[0]
    assert "Belum ada KIM di desa ini" in kapasari
    assert 'href="http://kelola.localhost:8000/daftar/?desa=35.78.09.1005"' in kapasari
    assert "Set-Cookie" not in response.headers and "csrfmiddlewaretoken" not in text
    assert "public" in response["Cache-Control"]


def test_a_suspended_kim_is_not_listed_under_its_village(client, world):
    Community.objects.filter(pk=world.kim_a.pk).update(status=Community.Status.SUSPENDED)
    text = client.get(GENTENG).content.decode()
    assert "KIM Ketabang Maju" not in text
    assert 'daftar/?desa=35.78.09.1003"' in text


@pytest.mark.parametrize("n", [1, 20])
def test_the_district_page_reads_the_same_whatever_the_number_of_kims(
    client, regions, django_assert_max_num_queries, n
):
    villages = Village.objects.bulk_create(
        Village(
            code=f"35.78.09.3{i:03}",
            district=regions.genteng,
            name=f"Desa {i:02}",
            slug=f"desa-{i}",
            kind="desa",
        )
        for i in range(n)
    )
    for i, village in enumerate(villages):
        make_community(village=village, slug=f"kim-desa-{i}", name=f"KIM Desa {i:02}", members=1)
        make_community(
            village=village,
            slug=f"kim-desa-{i}-b",
            name=f"KIM Desa {i:02} B",
            members=1,
            nomor_induk=village.code.replace(".", "") + "02",
        )
    with django_assert_max_num_queries(DISTRICT_PAGE_QUERIES):
        text = client.get(GENTENG).content.decode()
    assert f"KIM Desa {n - 1:02} B" in text
    assert text.count("Belum ada KIM di desa ini") == 2  # Ketabang and Kapasari
