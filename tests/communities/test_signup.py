"""The sign-up wizard of a new KIM on the kelola host (/daftar/), driven through the client."""

import io
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from communities import services
from communities.models import Community, Member, VerificationEvent
from regions.models import District, Village
from tests.factories import make_community, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-kim-123"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# Session, user, the device of the second step, the sign-up, the step's own reads (region levels,
# roster, ...), and a little room.
STEP_PAGE_QUERIES = 9


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (10, 92, 168)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """SK scans go to a temporary private storage instead of the project's private-media."""
    field = Community._meta.get_field("sk_file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))
    return tmp_path / "private"


@pytest.fixture
def applicant(db):
    return make_user("ketua.baru@example.id", full_name="Ratna Sari")


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def draft_of(user, **fields) -> Community:
    draft = services.community_draft_start(applicant=user)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()
    return draft


def roster_data(rows: list[dict], *, total: int | None = None) -> dict:
    total = len(rows) if total is None else total
    data = {"anggota-TOTAL_FORMS": str(total), "anggota-INITIAL_FORMS": "0"}
    for i in range(total):
        row = rows[i] if i < len(rows) else {}
        data[f"anggota-{i}-name"] = row.get("name", "")
        data[f"anggota-{i}-position"] = row.get("position", "anggota")
        data[f"anggota-{i}-position_detail"] = row.get("position_detail", "")
        data[f"anggota-{i}-phone"] = row.get("phone", "")
    return data


def full_roster(n: int = 10) -> list[dict]:
    return [{"name": "Bu Ratna Sari", "position": "ketua", "phone": "0812-3456-7890"}] + [
        {"name": f"Warga Ketabang {i}", "position": "anggota"} for i in range(1, n)
    ]


def complete_draft(user, village, *, slug: str = "kim-ketabang-baru") -> Community:
    draft = services.community_draft_start(applicant=user)
    services.community_set_village(community=draft, village=village)
    services.community_set_identity(community=draft, name="KIM Ketabang Baru", slug=slug)
    services.community_set_decree(
        community=draft,
        number="140/7/436.9.1/2026",
        decree_date=timezone.localdate(),
        file=SimpleUploadedFile("sk.pdf", PDF),
    )
    services.community_set_roster(
        community=draft,
        members=[
            services.MemberData(name=r["name"], position=r["position"]) for r in full_roster()
        ],
    )
    return draft


def body(response) -> str:
    return response.content.decode()


# --- The whole wizard ------------------------------------------------------------------------


def test_the_whole_wizard_from_a_new_account_to_the_staff_inbox(
    client, world, django_capture_on_commit_callbacks
):
    start = client.get("/daftar/", kelola=True)
    assert start.status_code == 200
    assert "Sudah punya akun? Masuk" in body(start)
    assert 'href="/masuk/?next=/daftar/"' in body(start)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/daftar/", {"full_name": "Ratna Sari", "email": "Ratna@Contoh.ID"}, kelola=True
        )
    assert response.status_code == 302 and response["Location"] == "/daftar/terkirim/"
    assert not User.objects.filter(email="ratna@contoh.id").exists()
    link = signup_link(mail.outbox.pop())
    page = client.get(link, kelola=True)
    assert 'value="ratna@contoh.id" readonly' in body(page)
    assert 'value="Ratna Sari"' in body(page)
    response = client.post(
        link,
        {"full_name": "Ratna Sari", "password1": PASSWORD, "password2": PASSWORD},
        kelola=True,
    )
    user = User.objects.get(email="ratna@contoh.id")
    assert user.full_name == "Ratna Sari" and user.check_password(PASSWORD)
    draft = Community.objects.get(applicant=user)
    assert draft.status == "draft"
    assert response.status_code == 302
    assert response["Location"] == f"/daftar/{draft.pk}/desa/"

    # Village, by GET round trips as without JavaScript.
    base = f"/daftar/{draft.pk}/desa/"
    page = client.get(base, kelola=True)
    assert page.status_code == 200 and "Jawa Timur" in body(page)
    page = client.get(base + "?provinsi=35&kabupaten=35.78&kecamatan=35.78.09", kelola=True)
    assert '<option value="35.78.09.1003">Ketabang</option>' in body(page)
    response = client.post(
        base + "?provinsi=35&kabupaten=35.78&kecamatan=35.78.09",
        {"desa": "35.78.09.1003"},
        kelola=True,
    )
    assert response["Location"] == f"/daftar/{draft.pk}/nama/"

    response = client.post(
        f"/daftar/{draft.pk}/nama/",
        {"name": "KIM Ketabang Baru", "street_address": "Jl. Jaksa Agung 2", "slug": "kim-baru"},
        kelola=True,
    )
    assert response["Location"] == f"/daftar/{draft.pk}/sk/"

    response = client.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "140/7/436.9.1/2026",
            "decree_date": "2026-01-15",
            "file": SimpleUploadedFile("sk-kim.pdf", PDF, "application/pdf"),
        },
        kelola=True,
    )
    assert response["Location"] == f"/daftar/{draft.pk}/anggota/"

    response = client.post(f"/daftar/{draft.pk}/anggota/", roster_data(full_roster()), kelola=True)
    assert response["Location"] == f"/daftar/{draft.pk}/tinjau/"

    review = client.get(f"/daftar/{draft.pk}/tinjau/", kelola=True)
    text = body(review)
    assert "Ketabang" in text and "kim-baru.localhost" in text and "Bu Ratna Sari" in text
    assert "140/7/436.9.1/2026" in text
    assert "Sebelum dikirim" not in text
    assert re.search(r'<button type="submit" class="button">Kirim untuk diverifikasi', text)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/daftar/{draft.pk}/tinjau/", kelola=True)
    assert response["Location"] == f"/daftar/{draft.pk}/tinjau/"
    draft.refresh_from_db()
    assert draft.status == "pending"
    assert draft.regency_id == "35.78"
    assert draft.members.count() == 10
    assert sorted(m.to[0] for m in mail.outbox) == [
        "diskominfo-jatim@example.id", "diskominfo-surabaya@example.id", "kemkomdigi@example.id",
    ]  # fmt: skip
    assert "KIM Ketabang Baru" in mail.outbox[0].subject

    done = client.get(f"/daftar/{draft.pk}/tinjau/", kelola=True)
    assert "Pendaftaran terkirim, menunggu verifikasi Diskominfo Kota Surabaya" in body(done)
    assert "Kirim untuk diverifikasi" not in body(done)
    # A pending sign-up is not editable: its steps lead back to the read-only review.
    for step in ("desa", "nama", "sk", "anggota"):
        response = client.get(f"/daftar/{draft.pk}/{step}/", kelola=True)
        assert response.status_code == 302
        assert response["Location"] == f"/daftar/{draft.pk}/tinjau/"
    assert client.post(f"/daftar/{draft.pk}/tinjau/", kelola=True).status_code == 404


# --- Start: account and the list of one's sign-ups -------------------------------------------


def signup_link(message) -> str:
    found = re.search(r"http://kelola\.localhost:8000(/daftar/akun/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def request_link(client, capture, email: str, full_name: str = "Siti Aminah") -> str:
    with capture(execute=True):
        response = client.post("/daftar/", {"full_name": full_name, "email": email}, kelola=True)
    assert response["Location"] == "/daftar/terkirim/"
    return signup_link(mail.outbox[-1])


def test_account_form_errors_are_in_bahasa_indonesia_and_keep_what_was_typed(client, applicant):
    response = client.post(
        "/daftar/", {"full_name": "Siti Aminah", "email": "bukan-email"}, kelola=True
    )
    text = body(response)
    assert response.status_code == 200
    assert 'value="Siti Aminah"' in text and 'value="bukan-email"' in text
    assert "Tuliskan alamat email yang benar" in text
    response = client.post("/daftar/", {"full_name": "", "email": "siti@example.id"}, kelola=True)
    assert "Tuliskan nama lengkap Anda." in body(response)
    assert 'value="siti@example.id"' in body(response)
    assert User.objects.count() == 1 and not mail.outbox


def test_password_errors_on_the_emailed_link_keep_what_was_typed(
    client, applicant, django_capture_on_commit_callbacks
):
    link = request_link(client, django_capture_on_commit_callbacks, "siti@example.id")
    response = client.post(
        link,
        {"full_name": "Siti A.", "password1": "12345678", "password2": "12345678"},
        kelola=True,
    )
    text = body(response)
    assert response.status_code == 200 and 'value="Siti A."' in text
    assert "seluruhnya berupa angka" in text or "terlalu umum" in text  # Django's validators, id
    response = client.post(
        link,
        {"full_name": "Siti A.", "password1": PASSWORD, "password2": PASSWORD + "x"},
        kelola=True,
    )
    assert "Kedua kata sandi tidak sama." in body(response)
    assert not User.objects.filter(email="siti@example.id").exists()


def test_a_forged_or_altered_link_is_refused(client, django_capture_on_commit_callbacks):
    link = request_link(client, django_capture_on_commit_callbacks, "siti@example.id")
    for bad in ("/daftar/akun/palsu/", link[:-6] + "AAAAA/"):
        response = client.get(bad, kelola=True)
        assert response.status_code == 404
        assert "Tautan tidak berlaku" in body(response)
        data = {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post(bad, data, kelola=True).status_code == 404
    assert not User.objects.filter(email="siti@example.id").exists()


def test_a_link_expires_and_makes_one_account_only(
    client, settings, django_capture_on_commit_callbacks
):
    link = request_link(client, django_capture_on_commit_callbacks, "siti@example.id")
    data = {"full_name": "Siti", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(link, data, kelola=True).status_code == 302
    client.logout()
    other = "lain-" + PASSWORD
    again = client.post(link, {**data, "password1": other, "password2": other}, kelola=True)
    assert again.status_code == 302 and again["Location"] == "/masuk/?next=/daftar/"
    assert User.objects.get(email="siti@example.id").check_password(PASSWORD)
    later = time.time() + 49 * 3600  # the link lasts 48 hours
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(link, kelola=True).status_code == 404


# --- One answer for new and registered addresses ---------------------------------------------


def _masked(response) -> tuple:
    """Status, redirect and text of a response, CSRF tokens aside."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body(response))
    return response.status_code, response.get("Location"), text


def test_a_registered_email_gets_the_same_answer_and_its_owner_an_email(
    client, world, django_capture_on_commit_callbacks
):
    answers = []
    for email in ("baru@example.id", "Warga@Example.id"):  # the second is world.outsider's
        fresh = type(client)()
        with django_capture_on_commit_callbacks(execute=True):
            response = fresh.post("/daftar/", {"full_name": "Orang", "email": email}, kelola=True)
        answers.append((_masked(response), _masked(fresh.get(response["Location"], kelola=True))))
        assert "_auth_user_id" not in fresh.session
    assert answers[0] == answers[1]
    assert "Kami telah mengirim email ke alamat itu" in answers[0][1][2]
    # No account, no sign-in, no draft for the registered address; its owner is told.
    assert User.objects.filter(email="warga@example.id").count() == 1
    assert not Community.objects.filter(applicant=world.outsider).exists()
    assert not User.objects.filter(email="baru@example.id").exists()
    new, existing = mail.outbox[-2:]
    assert new.to == ["baru@example.id"] and "/daftar/akun/" in new.body
    assert existing.to == ["warga@example.id"]
    assert "/daftar/akun/" not in existing.body
    assert "Seseorang mencoba membuat akun pendaftar KIM" in existing.body
    assert "http://kelola.localhost:8000/masuk/?next=%2Fdaftar%2F" in existing.body
    html = existing.alternatives[0][0]
    assert 'href="http://kelola.localhost:8000/masuk/?next=%2Fdaftar%2F"' in html


def test_sign_up_emails_are_limited_per_address_and_per_network(
    client, world, settings, django_capture_on_commit_callbacks
):
    """Each request emails the address typed: nobody may flood an inbox from the form, nor
    from one network, whatever the spelling or the address inside one /64."""
    settings.SIGNUPS_PER_HOUR = 2
    settings.SIGNUPS_PER_HOUR_NETWORK = 4

    def ask(email: str, address: str):
        with django_capture_on_commit_callbacks(execute=True):
            return type(client)().post(
                "/daftar/", {"full_name": "Orang", "email": email}, kelola=True,
                REMOTE_ADDR=address,
            )  # fmt: skip

    sent = len(mail.outbox)
    for n in range(2):
        assert ask("korban@example.id", f"198.51.{n}.9").status_code == 302
    refused = ask("KORBAN@example.id", "192.0.2.50")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan pendaftaran untuk alamat ini" in page
    assert 'value="KORBAN@example.id"' in page and 'value="Orang"' in page  # as typed
    # A registered address is counted the same way: the refusal says nothing about it.
    for n in range(2):
        ask("warga@example.id", f"198.51.{n}.10")
    assert ask("warga@example.id", "192.0.2.51").status_code == 429
    # One /64: counted as one network, whatever the address in it.
    for n in range(4):
        assert ask(f"orang{n}@example.id", f"2001:db8:1:2::{n + 1}").status_code == 302
    assert ask("orang9@example.id", "2001:db8:1:2::99").status_code == 429
    assert ask("orang9@example.id", "2001:db8:1:3::1").status_code == 302
    assert len(mail.outbox) - sent == 2 + 2 + 4 + 1


def test_signed_in_start_starts_or_resumes_the_one_draft_and_lists_applications(
    signed_in, applicant, world
):
    page = signed_in.get("/daftar/", kelola=True)
    assert "Mulai pendaftaran" in body(page)
    assert "full_name" not in body(page)
    first = signed_in.post("/daftar/", kelola=True)
    second = signed_in.post("/daftar/", kelola=True)
    draft = Community.objects.get(applicant=applicant, status="draft")
    assert first["Location"] == second["Location"] == f"/daftar/{draft.pk}/desa/"

    pending = make_community(
        village=world.regions.sumbersekar, slug="kim-sumber", status="pending", applicant=applicant
    )
    page = signed_in.get("/daftar/", kelola=True)
    text = body(page)
    assert "Lanjutkan pendaftaran" in text
    assert f'href="/daftar/{draft.pk}/tinjau/"' in text
    assert f'href="/daftar/{pending.pk}/tinjau/"' in text
    assert "Menunggu verifikasi" in text and "Draf pendaftaran" in text
    assert "KIM Ketabang Maju" not in text  # someone else's


# --- Village ---------------------------------------------------------------------------------


def test_village_step_narrows_by_get_and_drops_stale_choices(signed_in, applicant, regions):
    draft = draft_of(applicant)
    url = f"/daftar/{draft.pk}/desa/"
    text = body(signed_in.get(url + "?provinsi=35", kelola=True))
    assert '<option value="35.78">Kota Surabaya</option>' in text
    assert "Kabupaten Malang" in text and "Kota Bandung" not in text
    text = body(signed_in.get(url + "?provinsi=35&kabupaten=35.78", kelola=True))
    assert '<option value="35.78.09">Genteng</option>' in text and "Dau" not in text
    # Province changed while a regency of the old one is still in the query string.
    text = body(signed_in.get(url + "?provinsi=32&kabupaten=35.78&kecamatan=35.78.09", kelola=True))
    assert "Kota Bandung" in text and "Genteng" not in text and "Ketabang" not in text
    assert 'aria-current="step"' in text
    assert text.count('form="wilayah-nav"') >= 6  # three selects and their "Pilih" buttons


def test_village_step_errors_keep_the_choices_and_resume_preselects(signed_in, applicant, regions):
    draft = draft_of(applicant)
    url = f"/daftar/{draft.pk}/desa/?provinsi=35&kabupaten=35.78&kecamatan=35.78.09"
    response = signed_in.post(url, {"desa": ""}, kelola=True)
    text = body(response)
    assert response.status_code == 200
    assert "Pilih desa/kelurahan tempat KIM berada." in text
    assert '<option value="35.78.09" selected>Genteng</option>' in text
    assert "Kapasari" in text
    response = signed_in.post(url, {"desa": "99.99.99.9999"}, kelola=True)
    assert "Pilih desa/kelurahan dari daftar." in body(response)
    draft.refresh_from_db()
    assert draft.village_id is None

    signed_in.post(url, {"desa": "35.78.09.1005"}, kelola=True)
    draft.refresh_from_db()
    assert (draft.village_id, draft.province_id) == ("35.78.09.1005", "35")
    text = body(signed_in.get(f"/daftar/{draft.pk}/desa/", kelola=True))
    assert '<option value="35" selected>Jawa Timur</option>' in text
    assert '<option value="35.78" selected>Kota Surabaya</option>' in text
    assert '<option value="35.78.09.1005" selected>Kapasari</option>' in text


def test_region_children_is_json_sorted_by_name_and_404_for_unknown(client, regions):
    response = client.get("/daftar/wilayah/35/", kelola=True)
    assert response.status_code == 200
    assert response.json() == [
        {"code": "35.07", "name": "Kabupaten Malang"},
        {"code": "35.78", "name": "Kota Surabaya"},
    ]
    assert client.get("/daftar/wilayah/35.78.09/", kelola=True).json() == [
        {"code": "35.78.09.1005", "name": "Kapasari"},
        {"code": "35.78.09.1003", "name": "Ketabang"},
    ]
    for unknown in ("99", "35.99", "35.78.09.1003", "x.y.z.w.v"):
        assert client.get(f"/daftar/wilayah/{unknown}/", kelola=True).status_code == 404


# --- Name and subdomain ----------------------------------------------------------------------


def test_identity_step_saves_and_previews_the_address(signed_in, applicant, regions):
    draft = draft_of(applicant)
    services.community_set_village(community=draft, village=regions.ketabang)
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/",
        {"name": " KIM Ketabang Baru ", "street_address": "", "slug": "Kim-Ketabang-Baru"},
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.slug) == ("KIM Ketabang Baru", "kim-ketabang-baru")
    text = body(signed_in.get(f"/daftar/{draft.pk}/nama/", kelola=True))
    assert 'value="KIM Ketabang Baru"' in text
    assert "kim-ketabang-baru</output>.localhost" in text


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("kelola", "Alamat ini dicadangkan"),
        ("kim-ketabang", "Alamat ini sudah dipakai KIM lain."),
        ("kim_ketabang!", "Gunakan huruf kecil a–z"),
        ("km", "Alamat subdomain harus 3 sampai 40 karakter."),
    ],
)
def test_identity_step_refuses_bad_subdomains_with_free_suggestions(
    signed_in, applicant, world, slug, message
):
    draft = draft_of(applicant)
    services.community_set_village(community=draft, village=world.regions.ketabang)
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/",
        {"name": "KIM Ketabang", "street_address": "Jl. Jaksa Agung 2", "slug": slug},
        kelola=True,
    )
    text = body(response)
    assert response.status_code == 200
    assert message in text
    assert 'value="KIM Ketabang"' in text and 'value="Jl. Jaksa Agung 2"' in text
    assert f"{slug}: " in text  # the error names what was typed; the field holds a free one
    suggestions = re.findall(r'name="pakai_alamat" value="([a-z0-9-]+)"', text)
    assert suggestions
    assert f'name="slug" value="{suggestions[0]}"' in text
    assert "kim-ketabang" not in suggestions  # taken by KIM A
    assert all(Community.objects.filter(slug=s).count() == 0 for s in suggestions)
    draft.refresh_from_db()
    assert draft.slug is None

    # Picking a suggestion saves with it (no JavaScript needed).
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/",
        {"name": "KIM Ketabang", "slug": slug, "pakai_alamat": suggestions[0]},
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.slug == suggestions[0]


def test_a_former_slug_of_another_kim_is_taken_too(signed_in, applicant, world):
    services.community_change_slug(
        community=world.kim_b, actor=world.national_admin, new_slug="kim-geger"
    )
    draft = draft_of(applicant)
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/", {"name": "KIM Geger", "slug": "kim-gegerkalong"}, kelola=True
    )
    assert "Alamat ini sudah dipakai KIM lain." in body(response)


# --- SK --------------------------------------------------------------------------------------


def test_decree_step_stores_a_pdf_and_streams_it_only_to_the_applicant(signed_in, applicant, world):
    draft = draft_of(applicant)
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "140/7/2026",
            "decree_date": "2026-02-03",
            "file": SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
        },
        kelola=True,
    )
    assert response["Location"] == f"/daftar/{draft.pk}/anggota/"
    draft.refresh_from_db()
    assert draft.sk_number == "140/7/2026" and str(draft.sk_date) == "2026-02-03"
    assert draft.sk_file.name.endswith(".pdf")

    page = body(signed_in.get(f"/daftar/{draft.pk}/sk/", kelola=True))
    assert "Berkas tersimpan:" in page
    assert f'href="/daftar/{draft.pk}/sk/berkas/"' in page
    assert 'value="2026-02-03"' in page and 'value="140/7/2026"' in page
    assert 'type="file" name="file"' in page and "Sudah ada berkas tersimpan" in page

    scan = signed_in.get(f"/daftar/{draft.pk}/sk/berkas/", kelola=True)
    assert scan.status_code == 200
    assert scan["Content-Type"] == "application/pdf"
    # A download, sandboxed: a scan that is really HTML cannot run in the kelola origin.
    assert scan["Content-Disposition"].startswith("attachment;")
    assert scan["Content-Security-Policy"] == "sandbox"
    assert scan["X-Content-Type-Options"] == "nosniff"
    assert scan["Cache-Control"] == "private, no-store"
    assert b"".join(scan.streaming_content) == PDF
    assert "/media/" not in page and "private" not in page

    # The file input is optional once a scan is stored: the number alone can be changed.
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {"number": "140/8/2026", "decree_date": "2026-02-03"},
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sk_number == "140/8/2026" and draft.sk_file.name.endswith(".pdf")


def test_a_real_png_is_accepted_and_served_as_png(signed_in, applicant):
    draft = draft_of(applicant)
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "140/7/2026",
            "decree_date": "2026-02-03",
            "file": SimpleUploadedFile("foto-sk.png", png_bytes(), "image/png"),
        },
        kelola=True,
    )
    assert response.status_code == 302
    scan = signed_in.get(f"/daftar/{draft.pk}/sk/berkas/", kelola=True)
    assert scan["Content-Type"] == "image/png"
    assert b"".join(scan.streaming_content) == png_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sk.pdf", b"Ini bukan PDF, hanya teks biasa.\n", "Berkas SK harus berupa PDF, JPEG"),
        ("sk.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "Berkas SK maksimal 5 MB."),
        ("sk.png", b"\x89PNG\r\n\x1a\n" + b"rusak" * 20, "Gambar SK rusak"),
    ],
    ids=["text-renamed-pdf", "too-big", "corrupt-png"],
)
def test_bad_scans_are_refused_on_the_file_field_and_the_rest_is_kept(
    signed_in, applicant, name, content, message
):
    draft = draft_of(applicant)
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "140/7/2026",
            "decree_date": "2026-02-03",
            "file": SimpleUploadedFile(name, content),
        },
        kelola=True,
    )
    text = body(response)
    assert response.status_code == 200
    assert re.search(r'<p class="error" id="id_file_error">' + re.escape(message), text)
    assert 'value="140/7/2026"' in text and 'value="2026-02-03"' in text
    draft.refresh_from_db()
    assert not draft.sk_file and draft.sk_number == ""


def test_a_good_scan_is_kept_when_other_fields_have_errors(signed_in, applicant):
    draft = draft_of(applicant)
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "",
            "decree_date": "31-31-2026",
            "file": SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
        },
        kelola=True,
    )
    text = body(response)
    assert response.status_code == 200
    assert "Tuliskan nomor SK." in text and "Tuliskan tanggal yang benar" in text
    assert 'value="31-31-2026"' in text
    assert "Berkas tersimpan:" in text and "tidak perlu diunggah lagi" in text
    draft.refresh_from_db()
    assert draft.sk_file.name.endswith(".pdf") and draft.sk_number == ""

    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {"number": "140/7/2026", "decree_date": "2026-02-03"},
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sk_number == "140/7/2026" and draft.sk_file.name.endswith(".pdf")


def test_decree_file_is_required_until_one_is_stored(signed_in, applicant):
    draft = draft_of(applicant)
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {"number": "140/7/2026", "decree_date": "2026-02-03"},
        kelola=True,
    )
    assert "Unggah pindaian SK" in body(response)
    assert signed_in.get(f"/daftar/{draft.pk}/sk/berkas/", kelola=True).status_code == 404


# --- Roster ----------------------------------------------------------------------------------


def test_roster_shows_at_least_the_minimum_rows_and_saves_filled_ones_in_order(
    signed_in, applicant, settings
):
    draft = draft_of(applicant)
    page = body(signed_in.get(f"/daftar/{draft.pk}/anggota/", kelola=True))
    assert 'name="anggota-TOTAL_FORMS" value="10"' in page
    assert '<option value="ketua" selected>Ketua</option>' in page  # the first row

    rows = full_roster()
    rows.insert(3, {})  # a blank row in the middle is ignored
    data = roster_data(rows, total=13)
    data["anggota-1-position_detail"] = "Seksi Humas"
    response = signed_in.post(f"/daftar/{draft.pk}/anggota/", data, kelola=True)
    assert response["Location"] == f"/daftar/{draft.pk}/tinjau/"
    members = list(draft.members.order_by("sort_order"))
    assert len(members) == 10
    assert members[0].name == "Bu Ratna Sari" and members[0].position == "ketua"
    assert members[0].phone == "0812-3456-7890"
    assert members[1].position_detail == "Seksi Humas"

    # Resuming shows the saved roster.
    page = body(signed_in.get(f"/daftar/{draft.pk}/anggota/", kelola=True))
    assert 'value="Warga Ketabang 9"' in page and 'value="Seksi Humas"' in page


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (full_roster(9), "Isi sedikitnya 10 anggota; baru 9 baris yang terisi."),
        (
            [{"name": f"Warga {i}", "position": "anggota"} for i in range(10)],
            "belum ada ketua",
        ),
        (
            full_roster() + [{"name": "Pak Kedua", "position": "ketua"}],
            "Hanya boleh ada satu ketua; saat ini ada 2.",
        ),
    ],
    ids=["too-few", "no-ketua", "two-ketua"],
)
def test_roster_rules_are_explained_and_nothing_typed_is_lost(signed_in, applicant, rows, message):
    draft = draft_of(applicant)
    response = signed_in.post(f"/daftar/{draft.pk}/anggota/", roster_data(rows), kelola=True)
    text = body(response)
    assert response.status_code == 200
    assert message in text
    assert f'value="{rows[-1]["name"]}"' in text
    assert not draft.members.exists()


def test_roster_phone_is_validated_loosely(signed_in, applicant):
    draft = draft_of(applicant)
    rows = full_roster()
    rows[1]["phone"] = "0812 abc"
    rows[2]["phone"] = "12345"
    rows[3]["phone"] = "+62 812-3456-7890"
    response = signed_in.post(f"/daftar/{draft.pk}/anggota/", roster_data(rows), kelola=True)
    text = body(response)
    assert text.count("Nomor HP hanya boleh berisi angka") == 2
    assert 'value="0812 abc"' in text and 'value="+62 812-3456-7890"' in text
    assert not draft.members.exists()


def test_roster_add_rows_keeps_what_was_typed(signed_in, applicant):
    draft = draft_of(applicant)
    data = roster_data(full_roster(3), total=10)
    data["tambah"] = "1"
    response = signed_in.post(f"/daftar/{draft.pk}/anggota/", data, kelola=True)
    text = body(response)
    assert response.status_code == 200
    assert 'name="anggota-TOTAL_FORMS" value="15"' in text
    assert 'value="Warga Ketabang 2"' in text and 'value="0812-3456-7890"' in text
    assert 'id="id_anggota-14-name"' in text
    assert "Isi sedikitnya 10 anggota" not in text  # no errors for a half-filled list yet
    assert not draft.members.exists()


# --- Review, rejection and resubmission ------------------------------------------------------


def test_review_lists_problems_with_links_and_disables_submit(signed_in, applicant, regions):
    draft = draft_of(applicant)
    services.community_set_village(community=draft, village=regions.ketabang)
    text = body(signed_in.get(f"/daftar/{draft.pk}/tinjau/", kelola=True))
    assert f'<a href="/daftar/{draft.pk}/nama/">Isi nama KIM dan alamat subdomain.</a>' in text
    assert f'<a href="/daftar/{draft.pk}/sk/">Lengkapi nomor' in text
    assert f'<a href="/daftar/{draft.pk}/anggota/">Daftarkan sedikitnya 10 anggota' in text
    assert "Pilih desa/kelurahan tempat KIM berada." not in text
    assert re.search(r"<button[^>]* disabled", text)

    response = signed_in.post(f"/daftar/{draft.pk}/tinjau/", kelola=True, follow=True)
    assert "Tepat satu anggota harus berjabatan ketua." in body(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_rejected_sign_up_shows_the_reason_everywhere_and_can_be_resubmitted(
    signed_in, applicant, world, django_capture_on_commit_callbacks
):
    draft = complete_draft(applicant, world.regions.ketabang)
    services.community_submit(community=draft, actor=applicant)
    services.community_reject(
        community=draft, actor=world.surabaya_admin, reason="SK belum ditandatangani lurah."
    )
    for step in ("desa", "nama", "sk", "anggota", "tinjau"):
        response = signed_in.get(f"/daftar/{draft.pk}/{step}/", kelola=True)
        assert response.status_code == 200, step
        assert "SK belum ditandatangani lurah." in body(response), step

    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "140/9/2026",
            "decree_date": "2026-03-01",
            "file": SimpleUploadedFile("sk-ttd.png", png_bytes(), "image/png"),
        },
        kelola=True,
    )
    assert response.status_code == 302
    assert "Kirim ulang untuk diverifikasi" in body(
        signed_in.get(f"/daftar/{draft.pk}/tinjau/", kelola=True)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"/daftar/{draft.pk}/tinjau/", kelola=True)
    draft.refresh_from_db()
    assert draft.status == "pending" and draft.sk_file.name.endswith(".png")
    assert draft.verification_events.order_by("-pk").first().action == (
        VerificationEvent.Action.RESUBMITTED
    )
    assert "diajukan ulang" in mail.outbox[0].subject
    assert "diskominfo-surabaya@example.id" in [m.to[0] for m in mail.outbox]
    page = body(signed_in.get(f"/daftar/{draft.pk}/tinjau/", kelola=True))
    assert "menunggu verifikasi Diskominfo Kota Surabaya" in page
    assert "SK belum ditandatangani lurah." not in page


def test_leaving_and_coming_back_shows_what_was_saved(client, applicant, regions):
    draft = complete_draft(applicant, regions.kapasari, slug="kim-kapasari-baru")
    client.force_login(applicant)
    assert client.post("/daftar/", kelola=True)["Location"] == f"/daftar/{draft.pk}/desa/"
    pages = {
        step: body(client.get(f"/daftar/{draft.pk}/{step}/", kelola=True))
        for step in ("desa", "nama", "sk", "anggota", "tinjau")
    }
    assert '<option value="35.78.09.1005" selected>Kapasari</option>' in pages["desa"]
    assert 'value="kim-kapasari-baru"' in pages["nama"]
    assert 'value="140/7/436.9.1/2026"' in pages["sk"] and "Berkas tersimpan:" in pages["sk"]
    assert 'value="Warga Ketabang 9"' in pages["anggota"]
    assert "Semua isian sudah lengkap" in pages["tinjau"]
    for step, page in pages.items():
        assert 'aria-current="step"' in page, step
        assert "Kembali" in page, step


# --- Access ----------------------------------------------------------------------------------

STEP_PATHS = ("desa/", "nama/", "sk/", "sk/berkas/", "anggota/", "tinjau/")


def test_someone_elses_sign_up_is_404_on_every_step(client, applicant, world):
    draft = complete_draft(applicant, world.regions.ketabang)
    client.force_login(world.outsider)
    for sign_up in (draft, world.pending_a):
        for path in STEP_PATHS:
            assert client.get(f"/daftar/{sign_up.pk}/{path}", kelola=True).status_code == 404
            if path != "sk/berkas/":
                response = client.post(f"/daftar/{sign_up.pk}/{path}", {}, kelola=True)
                assert response.status_code == 404
    assert client.get("/daftar/999999/desa/", kelola=True).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_anonymous_visitors_are_sent_to_sign_in(client, applicant):
    draft = draft_of(applicant)
    for path in STEP_PATHS:
        response = client.get(f"/daftar/{draft.pk}/{path}", kelola=True)
        assert response.status_code == 302
        assert response["Location"] == f"/masuk/?next=/daftar/{draft.pk}/{path}"


def test_the_wizard_lives_on_the_kelola_host_only(client):
    assert client.get("/daftar/").status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def test_step_pages_keep_a_constant_number_of_queries(
    client, applicant, regions, django_assert_max_num_queries
):
    draft = complete_draft(applicant, regions.ketabang)
    client.force_login(applicant)
    pages = [
        "/daftar/",
        f"/daftar/{draft.pk}/desa/",
        f"/daftar/{draft.pk}/desa/?provinsi=35&kabupaten=35.78&kecamatan=35.78.09",
        f"/daftar/{draft.pk}/nama/",
        f"/daftar/{draft.pk}/sk/",
        f"/daftar/{draft.pk}/anggota/",
        f"/daftar/{draft.pk}/tinjau/",
    ]

    def sizes() -> list[int]:
        lengths = []
        for url in pages:
            with django_assert_max_num_queries(STEP_PAGE_QUERIES):
                response = client.get(url, kelola=True)
            assert response.status_code == 200, url
            lengths.append(len(response.content))
        return lengths

    before = sizes()
    District.objects.bulk_create(
        District(code=f"35.07.{i:02}", regency=regions.malang, name=f"Kec {i}", slug=f"kec-{i}")
        for i in range(30, 80)
    )
    Village.objects.bulk_create(
        Village(
            code=f"35.07.20.{2100 + i}",
            district=regions.dau,
            name=f"Desa {i}",
            slug=f"desa-{i}",
            kind="desa",
        )
        for i in range(400)
    )
    Member.objects.bulk_create(
        Member(community=draft, name=f"Tambahan {i}", position="anggota", sort_order=20 + i)
        for i in range(30)
    )
    after = sizes()
    # Regions under other parents never reach the village page.
    assert after[1] == before[1] and after[2] == before[2]
    assert "Desa 1" not in body(client.get(pages[2], kelola=True))
