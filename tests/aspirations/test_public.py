"""The public side: the list, a page per aspirasi, the forms, tracking and withdrawal."""

import pytest
from django.utils import timezone

from aspirations.models import Aspirasi
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import host_for
from posts.models import BannedTerm
from tests.aspirations.helpers import form_data, make_aspirasi, started

pytestmark = pytest.mark.django_db

KIM_A = host_for(SiteKind.COMMUNITY, "kim-ketabang")


def assert_read_only(response) -> None:
    """A page a visitor only reads: no cookie, no CSRF token, publicly cacheable."""
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"]


# --- The list and the page of one aspirasi -------------------------------------------------------


def test_list_shows_public_ones_only(client, world):
    make_aspirasi(community=world.kim_a, text="Aspirasi publik tentang jalan rusak")
    make_aspirasi(community=world.kim_a, text="Aspirasi rahasia", is_public=False)
    make_aspirasi(community=world.kim_a, text="Aspirasi ditarik", status="ditarik")
    make_aspirasi(community=world.kim_a, text="Aspirasi spam", status="ditutup", is_spam=True)
    make_aspirasi(regency=world.regions.bandung, text="Aspirasi Bandung", status="ditanggapi",
                  answer="Tanggapan Diskominfo Bandung")  # fmt: skip
    response = client.get("/aspirasi/")
    assert_read_only(response)
    page = response.content.decode()
    assert "Aspirasi publik tentang jalan rusak" in page
    assert "Tanggapan Diskominfo Bandung" in page
    for hidden in ("Aspirasi rahasia", "Aspirasi ditarik", "Aspirasi spam"):
        assert hidden not in page


def test_list_filters_by_region_and_topic(client, world):
    make_aspirasi(community=world.kim_a, text="Surabaya infrastruktur")
    make_aspirasi(regency=world.regions.malang, text="Malang kesehatan", topic="kesehatan")
    make_aspirasi(regency=world.regions.bandung, text="Bandung infrastruktur")
    page = client.get("/aspirasi/?wilayah=35").content.decode()
    assert "Surabaya infrastruktur" in page and "Malang kesehatan" in page
    assert "Bandung infrastruktur" not in page
    page = client.get("/aspirasi/?wilayah=35.78").content.decode()
    assert "Surabaya infrastruktur" in page and "Malang kesehatan" not in page
    page = client.get("/aspirasi/?topik=kesehatan").content.decode()
    assert "Malang kesehatan" in page and "Surabaya infrastruktur" not in page
    # A bad filter is ignored, not an error.
    assert client.get("/aspirasi/?wilayah=99&topik=x").status_code == 200


def test_list_pages_by_keyset(client, world):
    for i in range(25):
        make_aspirasi(community=world.kim_a, text=f"Aspirasi nomor {i:02d} tentang jalan")
    first = client.get("/aspirasi/").content.decode()
    assert "Aspirasi nomor 24" in first and "Aspirasi nomor 04" not in first
    assert 'rel="next"' in first
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/aspirasi/" + link).content.decode()
    assert "Aspirasi nomor 04" in second and "Aspirasi nomor 24" not in second


@pytest.mark.parametrize("rows", [1, 20])
def test_list_query_count_stays_constant(client, world, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_aspirasi(community=world.kim_a if i % 2 else None, regency=world.regions.malang,
                      text=f"Aspirasi {i}", village=world.regions.sumbersekar)  # fmt: skip
    with django_assert_max_num_queries(4):
        assert client.get("/aspirasi/?wilayah=35").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/aspirasi/daftar/", host=KIM_A).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_detail_query_count_stays_constant(client, world, django_assert_max_num_queries, rows):
    aspirasi = make_aspirasi(community=world.kim_a)
    for i in range(rows):
        aspirasi.events.create(regency_id="35.78", action="forwarded", is_public=True,
                               public_text=f"Dinas {i}")  # fmt: skip
    with django_assert_max_num_queries(3):
        response = client.get(f"/aspirasi/{aspirasi.pk}/")
    assert_read_only(response)


def test_detail_shows_status_answer_and_public_steps(client, world):
    aspirasi = make_aspirasi(community=world.kim_a, status="ditanggapi",
                             answer="Jalan diperbaiki pekan depan.")  # fmt: skip
    aspirasi.events.create(
        regency_id="35.78",
        action="forwarded",
        is_public=True,
        public_text="Dinas PU Surabaya",
        note="Catatan internal rahasia",
    )
    aspirasi.events.create(regency_id="35.78", action="escalated", is_public=False)
    page = client.get(f"/aspirasi/{aspirasi.pk}/").content.decode()
    assert "Jalan diperbaiki pekan depan." in page and "Dinas PU Surabaya" in page
    assert "Catatan internal rahasia" not in page
    assert "Dieskalasi" not in page  # internal steps stay in the queue
    assert "KIM Ketabang Maju" in page


@pytest.mark.parametrize(
    "fields",
    [{"is_public": False}, {"status": "ditarik"}, {"status": "ditutup", "is_spam": True}],
    ids=["private", "withdrawn", "spam"],
)
def test_detail_is_404_unless_public(client, world, fields):
    aspirasi = make_aspirasi(community=world.kim_a, **fields)
    assert client.get(f"/aspirasi/{aspirasi.pk}/").status_code == 404


def test_merged_page_points_to_the_original(client, world):
    original = make_aspirasi(community=world.kim_a)
    duplicate = make_aspirasi(community=world.kim_a, status="digabung", duplicate_of=original)
    page = client.get(f"/aspirasi/{duplicate.pk}/").content.decode()
    assert f"/aspirasi/{original.pk}/" in page
    assert f"#{duplicate.pk}" not in client.get("/aspirasi/").content.decode()


def test_kim_list_shows_only_its_own(client, world):
    make_aspirasi(community=world.kim_a, text="Untuk KIM A")
    make_aspirasi(regency=world.regions.surabaya, text="Untuk Diskominfo Surabaya")
    make_aspirasi(community=world.kim_b, text="Untuk KIM B")
    response = client.get("/aspirasi/daftar/", host=KIM_A)
    assert_read_only(response)
    page = response.content.decode()
    assert "Untuk KIM A" in page
    assert "Untuk Diskominfo Surabaya" not in page and "Untuk KIM B" not in page


# --- Sending -------------------------------------------------------------------------------------


def test_send_to_a_regency_shows_the_code_once(client, world):
    assert client.get("/aspirasi/kirim/").status_code == 200
    response = client.post("/aspirasi/kirim/", form_data())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    aspirasi = Aspirasi.objects.get()
    assert aspirasi.community is None and aspirasi.village == world.regions.ketabang
    page = response.content.decode()
    code = page.split('class="asp-code"><strong>')[1].split("<")[0]
    assert code.startswith("ASP-")
    assert aspirasi.code_hash not in page
    # The code is shown in the response body, never in a URL or a cookie.
    assert not response.cookies.get("sessionid")
    assert code not in response.get("Location", "")


def test_send_to_a_kim_defaults_to_its_village(client, world):
    response = client.get("/aspirasi/", host=KIM_A)
    assert response.status_code == 200
    assert 'value="Ketabang"' in response.content.decode()
    data = form_data(village="Ketabang")
    del data["regency"]
    response = client.post("/aspirasi/", data, host=KIM_A)
    assert response.status_code == 200
    aspirasi = Aspirasi.objects.get()
    assert aspirasi.community == world.kim_a and aspirasi.regency_id == "35.78"


def test_a_village_is_checked_against_the_regency(client, world):
    response = client.post("/aspirasi/kirim/", form_data(village="Gegerkalong"))
    assert "tidak ditemukan" in response.content.decode()
    assert not Aspirasi.objects.exists()


def test_not_public_is_honoured(client, world):
    client.post("/aspirasi/kirim/", form_data(not_public="on"))
    assert Aspirasi.objects.get().is_public is False


def _kept(response, data) -> None:
    """The refusal shows a message and keeps what the sender typed."""
    page = response.content.decode()
    assert data["text"] in page
    assert data["contact_name"] in page
    assert 'role="alert"' in page
    assert not Aspirasi.objects.exists()


def test_honeypot_refuses_with_a_message(client, world):
    data = form_data(website="http://spam.example")
    response = client.post("/aspirasi/kirim/", data)
    _kept(response, data)
    assert "harus dikosongkan" in response.content.decode()


def test_too_fast_refuses_and_the_next_try_passes(client, world, settings):
    data = form_data(started=started(seconds_ago=1))
    response = client.post("/aspirasi/kirim/", data)
    _kept(response, data)
    assert "terlalu cepat" in response.content.decode()
    settings.ASPIRATION_MIN_FILL_SECONDS = 0  # the sender looked again, then sent
    assert client.post("/aspirasi/kirim/", data).status_code == 200
    assert Aspirasi.objects.count() == 1


def test_a_forged_or_stale_timestamp_refuses(client, world):
    for token in ("", "palsu", started(seconds_ago=3 * 24 * 3600)):
        data = form_data(started=token)
        response = client.post("/aspirasi/kirim/", data)
        _kept(response, data)


def test_banned_terms_refuse_with_a_message(client, world):
    BannedTerm.objects.create(term="judi")
    data = form_data(
        text="Warung di ujung gang dipakai untuk judi setiap malam, mohon ditertibkan."
    )
    response = client.post("/aspirasi/kirim/", data)
    _kept(response, data)
    assert "tidak diperbolehkan" in response.content.decode()


def test_rate_limit_answers_429_and_keeps_the_form(client, world, settings):
    settings.ASPIRATIONS_PER_HOUR = 1
    assert client.post("/aspirasi/kirim/", form_data()).status_code == 200
    data = form_data(text="Aspirasi kedua dari alamat yang sama, tentang saluran air mampet.")
    response = client.post("/aspirasi/kirim/", data)
    assert response.status_code == 429
    page = response.content.decode()
    assert data["text"] in page and "Terlalu banyak" in page
    assert Aspirasi.objects.count() == 1


# --- Tracking and withdrawal ---------------------------------------------------------------------


def test_tracking_by_post_shows_a_private_aspirasi(client, world):
    aspirasi = make_aspirasi(community=world.kim_a, is_public=False, status="ditanggapi",
                             answer="Tanggapan untuk pengirim")  # fmt: skip
    assert client.get("/aspirasi/lacak/").status_code == 200
    response = client.post("/aspirasi/lacak/", {"code": aspirasi.code.lower()})
    page = response.content.decode()
    assert "Tanggapan untuk pengirim" in page and f"#{aspirasi.pk}" in page
    assert "no-store" in response["Cache-Control"]
    response = client.post("/aspirasi/lacak/", {"code": "ASP-0000-0000-0000"})
    assert "tidak dikenal" in response.content.decode()


def test_tracking_never_by_get(client, world):
    aspirasi = make_aspirasi(community=world.kim_a)
    page = client.get(f"/aspirasi/lacak/?code={aspirasi.code}").content.decode()
    assert aspirasi.text not in page


def test_withdrawal_hides_it_everywhere(client, world):
    aspirasi = make_aspirasi(community=world.kim_a, text="Aspirasi yang akan ditarik")
    assert client.get(f"/aspirasi/{aspirasi.pk}/").status_code == 200
    # Without the confirmation nothing happens.
    response = client.post("/aspirasi/lacak/tarik/", {"code": aspirasi.code})
    assert "Centang persetujuan" in response.content.decode()
    assert Aspirasi.objects.get(pk=aspirasi.pk).status == "diterima"
    response = client.post("/aspirasi/lacak/tarik/", {"code": aspirasi.code, "confirm": "on"})
    assert "sudah ditarik" in response.content.decode()
    assert Aspirasi.objects.get(pk=aspirasi.pk).status == "ditarik"
    assert client.get(f"/aspirasi/{aspirasi.pk}/").status_code == 404
    assert "Aspirasi yang akan ditarik" not in client.get("/aspirasi/").content.decode()
    assert client.get("/aspirasi/lacak/tarik/").status_code == 405


def test_withdrawal_with_a_wrong_code_changes_nothing(client, world):
    aspirasi = make_aspirasi(community=world.kim_a)
    response = client.post(
        "/aspirasi/lacak/tarik/", {"code": "ASP-ZZZZ-ZZZZ-ZZZZ", "confirm": "on"}
    )
    assert "tidak dikenal" in response.content.decode()
    assert Aspirasi.objects.get(pk=aspirasi.pk).status == "diterima"


def test_answer_reaches_the_public_page(client, world):
    """The flow of the issue: a visitor sends, a regency admin answers, the visitor sees it."""
    response = client.post("/aspirasi/kirim/", form_data())
    code = response.content.decode().split('class="asp-code"><strong>')[1].split("<")[0]
    aspirasi = Aspirasi.objects.get()
    client.force_login(world.surabaya_admin)
    client.post(f"/aspirasi/{aspirasi.pk}/tindakan/",
                {"action": "answer", "answer": "Sudah kami teruskan ke Dinas PU."},
                kelola=True)  # fmt: skip
    client.logout()
    assert "Sudah kami teruskan" in client.get(f"/aspirasi/{aspirasi.pk}/").content.decode()
    page = client.post("/aspirasi/lacak/", {"code": code}).content.decode()
    assert "Sudah kami teruskan" in page


def test_writes_bump_the_page_scopes(world, django_capture_on_commit_callbacks, monkeypatch):
    from kimportal.lib import page_cache

    bumped = []
    monkeypatch.setattr(page_cache, "_bump_now", lambda scopes: bumped.extend(scopes))
    aspirasi = make_aspirasi(community=world.kim_a, created_at=timezone.now())
    from aspirations import services

    with django_capture_on_commit_callbacks(execute=True):
        services.aspirasi_answer(aspirasi=aspirasi, actor=world.a_admin, answer="Ya")
    assert {"asp", "asp-p35", "asp-r35.78", f"asp-i{aspirasi.pk}",
            f"asp-k{world.kim_a.pk}"} <= set(bumped)  # fmt: skip


def test_too_many_unknown_codes_from_one_network_stop_lookups_for_the_hour(client, world, settings):
    settings.ASPIRATION_TRACK_FAILURES_PER_HOUR = 3
    aspirasi = make_aspirasi(community=world.kim_a, text="Aspirasi yang dilacak")
    guesser = {"REMOTE_ADDR": "203.0.113.7"}
    neighbour = {"REMOTE_ADDR": "203.0.113.200"}  # the same /24
    elsewhere = {"REMOTE_ADDR": "198.51.100.9"}
    for guess in ("ASP-0000-0000-0000", "ASP-1111-1111-1111"):
        response = client.post("/aspirasi/lacak/", {"code": guess}, **guesser)
        assert response.status_code == 200 and "tidak dikenal" in response.content.decode()
    withdrawal = {"code": "ASP-2222-2222-2222", "confirm": "on"}
    assert (
        "tidak dikenal"
        in client.post("/aspirasi/lacak/tarik/", withdrawal, **guesser).content.decode()
    )
    # The third failure used up the hour: even the right code is refused, on the whole network.
    for extra in (guesser, neighbour):
        response = client.post("/aspirasi/lacak/", {"code": aspirasi.code}, **extra)
        assert response.status_code == 429
        page = response.content.decode()
        assert "Terlalu banyak kode salah" in page and "Aspirasi yang dilacak" not in page
        response = client.post(
            "/aspirasi/lacak/tarik/", {"code": aspirasi.code, "confirm": "on"}, **extra
        )
        assert response.status_code == 429
    assert Aspirasi.objects.get(pk=aspirasi.pk).status == "diterima"
    # Other networks, and the right code, are not affected.
    response = client.post("/aspirasi/lacak/", {"code": aspirasi.code}, **elsewhere)
    assert response.status_code == 200 and "Aspirasi yang dilacak" in response.content.decode()


def test_a_known_code_is_never_counted_as_a_failure(client, world, settings):
    settings.ASPIRATION_TRACK_FAILURES_PER_HOUR = 2
    aspirasi = make_aspirasi(community=world.kim_a)
    for _ in range(4):
        response = client.post("/aspirasi/lacak/", {"code": aspirasi.code})
        assert response.status_code == 200 and f"#{aspirasi.pk}" in response.content.decode()
