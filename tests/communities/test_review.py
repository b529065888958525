"""The verification pages of the kelola host (review:*): queue, list, detail, actions, SK scan."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from communities.models import (
    Community,
    CommunitySlugRedirect,
    Member,
    Role,
    VerificationEvent,
)
from tests.factories import make_community

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Session (when not cached), user, the device of the second step, staff scopes, then the page's
# own reads: count + page for the lists; the KIM, its roster and its history for the detail.
QUEUE_QUERIES = 5
LIST_QUERIES = 6
DETAIL_QUERIES = 6


def with_scan(community: Community, content: bytes = PDF, name: str = "sk.pdf") -> Community:
    community.sk_file.save(name, ContentFile(content), save=True)
    return community


def body(response) -> str:
    return response.content.decode()


def get(client, user, url: str):
    client.force_login(user)
    return client.get(url, kelola=True)


def post(client, user, url: str, data: dict | None = None, **kwargs):
    client.force_login(user)
    return client.post(url, data or {}, kelola=True, **kwargs)


def names_in_order(page: str, names: list[str]) -> list[str]:
    found = [(page.find(n), n) for n in names if n in page]
    return [n for _, n in sorted(found)]


# --- Queue -----------------------------------------------------------------------------------


def test_queue_lists_pending_kims_in_scope_oldest_first(client, world):
    older = make_community(
        village=world.regions.ketabang, slug="kim-lama", name="KIM Lama", status="pending"
    )
    Community.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=4, hours=1)
    )
    Community.objects.filter(pk=world.pending_a.pk).update(
        submitted_at=timezone.now() - timedelta(days=2)
    )

    page = body(get(client, world.surabaya_admin, "/verifikasi/"))

    assert names_in_order(page, ["KIM Lama", "KIM Kapasari"]) == ["KIM Lama", "KIM Kapasari"]
    assert "KIM Geger Dua" not in page  # Bandung's
    assert "KIM Ketabang Maju" not in page  # verified, not pending
    assert "Kapasari, Kec. Genteng, Kota Surabaya" in page
    assert "4\xa0hari, 1\xa0jam" in page  # waiting time
    assert f'href="/verifikasi/{world.pending_a.pk}/"' in page
    assert "<dd>10</dd>" in page  # member count


def test_queue_of_each_level_of_staff(client, world):
    national = body(get(client, world.national_admin, "/verifikasi/"))
    assert "KIM Kapasari" in national and "KIM Geger Dua" in national
    jatim = body(get(client, world.jatim_admin, "/verifikasi/"))
    assert "KIM Kapasari" in jatim and "KIM Geger Dua" not in jatim
    malang = body(get(client, world.malang_admin, "/verifikasi/"))
    assert "KIM Kapasari" not in malang
    assert "Tidak ada pendaftaran yang menunggu" in malang


def test_queue_is_for_staff_only(client, world):
    assert get(client, world.a_admin, "/verifikasi/").status_code == 404
    client.logout()
    response = client.get("/verifikasi/", kelola=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=/verifikasi/")


def test_queue_is_paginated(client, world):
    for i in range(30):
        make_community(
            village=world.regions.ketabang, slug=f"kim-antre-{i}", status="pending", members=1
        )
    first = body(get(client, world.surabaya_admin, "/verifikasi/"))
    assert "Halaman 1 dari 2" in first
    assert "31 pendaftaran KIM menunggu" in first
    second = client.get("/verifikasi/?page=2", kelola=True)
    assert second.status_code == 200


def test_queue_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.surabaya_admin)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert client.get("/verifikasi/", kelola=True).status_code == 200
    for i in range(30):
        make_community(village=world.regions.kapasari, slug=f"kim-tambah-{i}", status="pending")
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert "KIM Kapasari" in body(client.get("/verifikasi/", kelola=True))


# --- List of every KIM in scope --------------------------------------------------------------


def test_list_shows_every_status_but_drafts_and_filters(client, world):
    make_community(village=world.regions.ketabang, slug="kim-draf", name="KIM Draf", status="draft")
    make_community(
        village=world.regions.ketabang, slug="kim-beku", name="KIM Beku", status="suspended"
    )
    page = body(get(client, world.surabaya_admin, "/verifikasi/semua/"))
    assert "KIM Ketabang Maju" in page and "KIM Kapasari" in page and "KIM Beku" in page
    assert "KIM Draf" not in page
    assert "KIM Gegerkalong" not in page

    verified = body(client.get("/verifikasi/semua/?status=verified", kelola=True))
    assert "KIM Ketabang Maju" in verified and "KIM Kapasari" not in verified

    search = body(client.get("/verifikasi/semua/?q=kapas", kelola=True))
    assert "KIM Kapasari" in search and "KIM Ketabang Maju" not in search
    assert 'value="kapas"' in search

    bad = client.get("/verifikasi/semua/?status=draft", kelola=True)
    assert bad.status_code == 200
    assert "Pilih status dari daftar." in body(bad)
    assert "KIM Draf" not in body(bad)


def test_list_pagination_keeps_the_filters(client, world):
    for i in range(30):
        make_community(
            village=world.regions.ketabang,
            slug=f"kim-v-{i}",
            name=f"KIM V {i:02d}",
            members=1,
            nomor_induk=f"35780910{i:04d}",
        )
    page = body(get(client, world.surabaya_admin, "/verifikasi/semua/?status=verified&q=KIM+V"))
    assert "?status=verified&amp;q=KIM+V&amp;page=2" in page


def test_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.jatim_admin)
    with django_assert_max_num_queries(LIST_QUERIES):
        client.get("/verifikasi/semua/", kelola=True)
    for i in range(30):
        make_community(
            village=world.regions.sumbersekar,
            slug=f"kim-malang-{i}",
            members=2,
            nomor_induk=f"35072020{i:04d}",
        )
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/verifikasi/semua/?q=kim", kelola=True)
    assert "Halaman 1 dari 2" in body(response)


# --- Detail ----------------------------------------------------------------------------------


def test_detail_shows_everything_submitted(client, world):
    community = with_scan(world.pending_a)
    community.street_address = "Jl. Kapasari 12"
    community.save()
    Member.objects.filter(community=community, position="ketua").update(
        name="Bu Ketua Kapasari", phone="0812-1111-2222", position_detail=""
    )
    VerificationEvent.objects.create(
        community=community, action="submitted", actor=world.pending_applicant
    )

    response = get(client, world.surabaya_admin, f"/verifikasi/{community.pk}/")
    page = body(response)

    assert response.status_code == 200
    for text in (
        "KIM Kapasari",
        "kim-kapasari",
        "Jawa Timur › Kota Surabaya › Genteng › Kapasari",
        "Jl. Kapasari 12",
        "140/kim-kapasari/2026",
        f'href="/verifikasi/{community.pk}/sk/"',
        "Bu Ketua Kapasari",
        'href="tel:0812-1111-2222"',
        "Anggota 9 kim-kapasari",
        "Pendaftar Baru",
        "pendaftar-baru@example.id",
        "Diajukan",
        "Menunggu verifikasi",
    ):
        assert text in page, text
    # Pending: verify and reject are offered, nothing else.
    assert f'action="/verifikasi/{community.pk}/verifikasi/"' in page
    assert f'action="/verifikasi/{community.pk}/tolak/"' in page
    assert "/bekukan/" not in page and "/alamat/" not in page and "/aktifkan/" not in page


def test_detail_history_says_who_when_what_why(client, world):
    community = world.kim_a
    VerificationEvent.objects.create(
        community=community, action="suspended", actor=world.surabaya_admin, reason="Konten SARA"
    )
    page = body(get(client, world.jatim_admin, f"/verifikasi/{community.pk}/"))
    assert "Dibekukan" in page and "Konten SARA" in page
    assert world.surabaya_admin.full_name in page


def test_detail_of_a_verified_kim_offers_suspend_rename_and_trust(client, world):
    page = body(get(client, world.surabaya_admin, f"/verifikasi/{world.kim_a.pk}/"))
    pk = world.kim_a.pk
    for action in ("bekukan", "alamat", "tepercaya"):
        assert f'action="/verifikasi/{pk}/{action}/"' in page
    assert "/verifikasi/" + str(pk) + "/tolak/" not in page
    assert "http://kim-ketabang.localhost:8000/" in page
    assert "35.78.09.1003.01" in page
    assert 'id="suspend_reason"' in page and 'id="change_slug_reason"' in page


def test_detail_of_a_draft_is_404_even_in_scope(client, world):
    draft = make_community(village=world.regions.kapasari, slug="kim-draf", status="draft")
    assert get(client, world.surabaya_admin, f"/verifikasi/{draft.pk}/").status_code == 404


def test_detail_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    community = world.pending_a
    client.force_login(world.surabaya_admin)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        client.get(f"/verifikasi/{community.pk}/", kelola=True)
    Member.objects.bulk_create(
        Member(community=community, name=f"Tambahan {i}", position="anggota", sort_order=20 + i)
        for i in range(30)
    )
    for _ in range(10):
        VerificationEvent.objects.create(
            community=community, action="submitted", actor=world.pending_applicant
        )
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(f"/verifikasi/{community.pk}/", kelola=True)
    assert "Tambahan 29" in body(response)


# --- Actions ---------------------------------------------------------------------------------


def test_verify_makes_the_kim_live_and_emails_the_applicant(
    client, world, django_capture_on_commit_callbacks
):
    community = world.pending_a
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, world.surabaya_admin, f"/verifikasi/{community.pk}/verifikasi/")
    assert response.status_code == 302
    assert response["Location"] == f"/verifikasi/{community.pk}/"
    community.refresh_from_db()
    assert community.status == "verified"
    assert community.nomor_induk == "357809100501"
    assert Role.objects.filter(community=community, user=world.pending_applicant, role="admin")
    event = community.verification_events.get(action="verified")
    assert event.actor == world.surabaya_admin
    assert [m.to for m in mail.outbox] == [["pendaftar-baru@example.id"]]
    assert "http://kim-kapasari.localhost:8000/" in mail.outbox[0].body

    page = body(client.get(response["Location"], kelola=True))
    assert "KIM Kapasari diverifikasi; situsnya kini tayang." in page


def test_reject_requires_a_reason_and_keeps_the_page(client, world):
    community = world.pending_a
    response = post(
        client, world.surabaya_admin, f"/verifikasi/{community.pk}/tolak/", {"reason": "   "}
    )
    page = body(response)
    assert response.status_code == 200
    assert "Tuliskan alasannya." in page
    assert "Periksa kembali isian Anda." in page
    assert "Anggota 0 kim-kapasari" in page  # the detail is all there
    community.refresh_from_db()
    assert community.status == "pending"
    assert not community.verification_events.exists()


def test_reject_with_reason_emails_it_to_the_applicant(
    client, world, django_capture_on_commit_callbacks
):
    community = world.pending_a
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            world.surabaya_admin,
            f"/verifikasi/{community.pk}/tolak/",
            {"reason": "SK belum ditandatangani lurah."},
            follow=True,
        )
    assert "Pendaftaran KIM Kapasari ditolak." in body(response)
    community.refresh_from_db()
    assert community.status == "rejected"
    event = community.verification_events.get(action="rejected")
    assert event.reason == "SK belum ditandatangani lurah."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pendaftar-baru@example.id"]
    assert "SK belum ditandatangani lurah." in message.body
    assert f"/daftar/{community.pk}/tinjau/" in message.body


def test_a_long_reason_is_refused_with_the_text_kept(client, world):
    reason = "x" * 2001
    response = post(
        client, world.surabaya_admin, f"/verifikasi/{world.pending_a.pk}/tolak/", {"reason": reason}
    )
    assert response.status_code == 200
    assert "Alasan maksimal 2000 karakter." in body(response)
    assert reason in body(response)


def test_suspend_and_reinstate_with_reasons_and_emails(
    client, world, django_capture_on_commit_callbacks
):
    community = world.kim_a
    missing = post(client, world.jatim_admin, f"/verifikasi/{community.pk}/bekukan/", {})
    assert missing.status_code == 200 and "Tuliskan alasannya." in body(missing)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            world.jatim_admin,
            f"/verifikasi/{community.pk}/bekukan/",
            {"reason": "Menyebarkan hoaks."},
            follow=True,
        )
    assert "KIM Ketabang Maju dibekukan" in body(response)
    community.refresh_from_db()
    assert community.status == "suspended"
    assert mail.outbox[-1].to == ["pendaftar-a@example.id"]
    assert "Menyebarkan hoaks." in mail.outbox[-1].body
    # The suspended KIM's subsite is gone; the detail now offers reinstatement only.
    assert client.get("/", host="kim-ketabang.localhost").status_code == 404
    page = body(response)
    assert f'action="/verifikasi/{community.pk}/aktifkan/"' in page
    assert "/bekukan/" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            world.jatim_admin,
            f"/verifikasi/{community.pk}/aktifkan/",
            {"reason": "Sudah diklarifikasi."},
        )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.status == "verified"
    assert "Sudah diklarifikasi." in mail.outbox[-1].body
    actions = list(community.verification_events.values_list("action", flat=True))
    assert actions == ["suspended", "reinstated"]


def test_an_action_not_valid_for_the_status_is_explained(client, world):
    community = world.kim_a  # verified: cannot be verified again
    response = post(client, world.surabaya_admin, f"/verifikasi/{community.pk}/verifikasi/")
    assert response.status_code == 200
    assert "Tindakan ini tidak berlaku untuk KIM berstatus Terverifikasi." in body(response)
    reinstate = post(
        client, world.surabaya_admin, f"/verifikasi/{community.pk}/aktifkan/", {"reason": "x"}
    )
    assert reinstate.status_code == 200
    assert "tidak berlaku" in body(reinstate)
    assert not community.verification_events.exists()


def test_actions_are_post_only(client, world):
    response = get(client, world.surabaya_admin, f"/verifikasi/{world.pending_a.pk}/verifikasi/")
    assert response.status_code == 405
    world.pending_a.refresh_from_db()
    assert world.pending_a.status == "pending"


@pytest.mark.parametrize(
    ("slug", "error"),
    [
        ("admin", "Alamat ini dicadangkan"),
        ("kim-gegerkalong", "Alamat ini sudah dipakai KIM lain."),
        ("Bukan Alamat!", "Gunakan huruf kecil"),
        ("ab", "Alamat subdomain harus 3 sampai 40 karakter."),
        ("kim-ketabang", "Alamat baru sama dengan alamat sekarang."),
    ],
)
def test_change_slug_refuses_bad_addresses_and_keeps_the_input(client, world, slug, error):
    community = world.kim_a
    response = post(
        client,
        world.surabaya_admin,
        f"/verifikasi/{community.pk}/alamat/",
        {"new_slug": slug, "reason": "Permintaan pengurus"},
    )
    page = body(response)
    assert response.status_code == 200
    assert error in page
    assert "Permintaan pengurus" in page
    community.refresh_from_db()
    assert community.slug == "kim-ketabang"
    assert not CommunitySlugRedirect.objects.exists()


def test_change_slug_then_the_old_subdomain_redirects(
    client, world, django_capture_on_commit_callbacks
):
    community = world.kim_a
    assert client.get("/", host="kim-ketabang.localhost").status_code == 200  # warms the cache
    with django_capture_on_commit_callbacks(execute=True):  # the cached lookup drops on commit
        response = post(
            client,
            world.surabaya_admin,
            f"/verifikasi/{community.pk}/alamat/",
            {"new_slug": "kim-ketabang-maju", "reason": "Nama resmi"},
            follow=True,
        )
    assert "Alamat subdomain diubah menjadi kim-ketabang-maju." in body(response)
    community.refresh_from_db()
    assert community.slug == "kim-ketabang-maju"
    event = community.verification_events.get(action="slug_changed")
    assert "Nama resmi" in event.reason and "kim-ketabang → kim-ketabang-maju" in event.reason

    old = client.get("/profil/?a=1", host="kim-ketabang.localhost")
    assert old.status_code == 301
    assert old["Location"] == "http://kim-ketabang-maju.localhost:8000/profil/?a=1"
    assert client.get("/", host="kim-ketabang-maju.localhost").status_code == 200


def test_set_trusted_and_back(client, world):
    community = world.kim_a
    url = f"/verifikasi/{community.pk}/tepercaya/"
    response = post(client, world.surabaya_admin, url, {"trusted": "1"}, follow=True)
    assert "KIM Ketabang Maju ditandai tepercaya." in body(response)
    assert 'name="trusted" value="0"' in body(response)
    community.refresh_from_db()
    assert community.is_trusted

    response = post(client, world.surabaya_admin, url, {"trusted": "0"}, follow=True)
    assert "Status tepercaya KIM Ketabang Maju dicabut." in body(response)
    assert "KIM KIM" not in body(response)
    community.refresh_from_db()
    assert not community.is_trusted
    reasons = list(
        community.verification_events.filter(action="trust_changed").values_list(
            "reason", flat=True
        )
    )
    assert reasons == ["Tepercaya", "Tidak tepercaya"]

    bad = post(client, world.surabaya_admin, url, {"trusted": "ya"})
    assert bad.status_code == 200
    community.refresh_from_db()
    assert not community.is_trusted


# --- SK scan ---------------------------------------------------------------------------------


def test_sk_scan_is_streamed_privately_to_staff_in_scope(client, world):
    community = with_scan(world.pending_a)
    response = get(client, world.jatim_admin, f"/verifikasi/{community.pk}/sk/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    # A download, sandboxed: a scan that is really HTML cannot run in the kelola origin.
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_sk_scan_image_gets_its_own_content_type(client, world):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    community = with_scan(world.pending_a, png, "sk.png")
    response = get(client, world.surabaya_admin, f"/verifikasi/{community.pk}/sk/")
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize("actor", ["malang_admin", "bandung_admin", "jabar_admin", "a_admin"])
def test_sk_scan_is_404_outside_the_scope(client, world, actor):
    community = with_scan(world.pending_a)
    response = get(client, getattr(world, actor), f"/verifikasi/{community.pk}/sk/")
    assert response.status_code == 404
    assert PDF not in response.content


def test_sk_scan_that_is_really_html_is_still_a_sandboxed_download(client, world):
    community = with_scan(world.pending_a, b"<html><script>alert(1)</script>", "sk.pdf")
    response = get(client, world.surabaya_admin, f"/verifikasi/{community.pk}/sk/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"


def test_sk_scan_missing_is_404(client, world):
    Community.objects.filter(pk=world.kim_b.pk).update(sk_file="")
    assert get(client, world.national_admin, f"/verifikasi/{world.kim_b.pk}/sk/").status_code == 404


def test_sk_link_is_not_a_media_url(client, world):
    community = with_scan(world.pending_a)
    page = body(get(client, world.surabaya_admin, f"/verifikasi/{community.pk}/"))
    assert "/media/" not in page
    assert not re.search(r"sk/\d{4}/\d{2}/", page)  # the storage path is not exposed
