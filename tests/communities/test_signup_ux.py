"""Where applicants stumbled in the sign-up wizard (issue 11): the SK's date, the suggested
subdomain, a village that already has a KIM, the roster's errors and its import."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities import services
from communities.forms.signup import parse_roster_list
from communities.models import Community
from communities.validation import decree_is_old
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    field = Community._meta.get_field("sk_file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def applicant(db):
    return make_user("ketua.ux@example.id", full_name="Sri Wahyuni")


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def body(response) -> str:
    return response.content.decode()


def draft_at(user, village=None) -> Community:
    draft = services.community_draft_start(applicant=user)
    if village is not None:
        services.community_set_village(community=draft, village=village)
    return draft


# --- SK date ---------------------------------------------------------------------------------


def test_an_sk_dated_in_the_future_is_refused_and_today_is_accepted(signed_in, applicant):
    draft = draft_at(applicant)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {"number": "140/1/2027", "decree_date": tomorrow.isoformat()},
        kelola=True,
    )
    assert response.status_code == 200
    assert "Tanggal SK tidak boleh setelah hari ini" in body(response)
    assert 'value="140/1/2027"' in body(response)  # what was typed is kept
    draft.refresh_from_db()
    assert draft.sk_date is None

    response = signed_in.post(
        f"/daftar/{draft.pk}/sk/",
        {
            "number": "140/1/2026",
            "decree_date": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile("sk.pdf", PDF, "application/pdf"),
        },
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sk_date == timezone.localdate()


def test_decree_age_follows_the_setting(settings):
    today = datetime.date(2026, 12, 1)
    assert not decree_is_old(None, today=today)
    assert not decree_is_old(datetime.date(2021, 12, 1), today=today)
    assert decree_is_old(datetime.date(2021, 11, 30), today=today)
    settings.SK_MAX_AGE_YEARS = 10
    assert not decree_is_old(datetime.date(2021, 11, 30), today=today)
    assert decree_is_old(datetime.date(2016, 11, 30), today=today)
    assert not decree_is_old(datetime.date(2020, 2, 29), today=datetime.date(2025, 2, 28))


def test_the_verifier_sees_an_old_sk_flagged(client, world):
    pending = world.pending_a
    client.force_login(world.surabaya_admin)
    pending.sk_date = timezone.localdate() - datetime.timedelta(days=6 * 366)  # 29 Feb safe
    pending.save(update_fields=["sk_date"])
    assert "SK lebih tua dari 5 tahun" in body(
        client.get(f"/verifikasi/{pending.pk}/", kelola=True)
    )
    pending.sk_date = timezone.localdate() - datetime.timedelta(days=365)
    pending.save(update_fields=["sk_date"])
    assert "SK lebih tua dari" not in body(client.get(f"/verifikasi/{pending.pk}/", kelola=True))


# --- Subdomain -------------------------------------------------------------------------------


def test_a_blank_subdomain_is_suggested_from_the_name_and_preselected(signed_in, applicant, world):
    draft = draft_at(applicant, world.regions.kapasari)
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/", {"name": "KIM Peneleh Bersatu", "slug": ""}, kelola=True
    )
    text = body(response)
    assert 'name="slug" value="kim-peneleh-bersatu"' in text
    assert re.search(
        r'value="kim-peneleh-bersatu" id="pakai_alamat_1" data-slug-suggestion checked', text
    )
    # Pressing "Simpan & lanjut" again with the pre-selection goes on.
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/",
        {
            "name": "KIM Peneleh Bersatu",
            "slug": "kim-peneleh-bersatu",
            "saran_awal": "kim-peneleh-bersatu",
            "pakai_alamat": "kim-peneleh-bersatu",
        },
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "kim-peneleh-bersatu"


def test_a_taken_subdomain_preselects_a_free_suggestion(signed_in, applicant, world):
    draft = draft_at(applicant, world.regions.ketabang)
    text = body(
        signed_in.post(
            f"/daftar/{draft.pk}/nama/",
            {"name": "KIM Ketabang Maju", "slug": "kim-ketabang"},
            kelola=True,
        )
    )
    assert "kim-ketabang: Alamat ini sudah dipakai KIM lain." in text
    checked = re.findall(
        r'name="pakai_alamat" value="([a-z0-9-]*)" id="[a-z_0-9]+"[^>]* checked', text
    )
    assert len(checked) == 1 and checked[0]
    assert not Community.objects.filter(slug=checked[0]).exists()
    assert f'name="slug" value="{checked[0]}"' in text
    assert 'id="pakai_alamat_sendiri">' in text  # "my own" is offered, not pre-selected


def test_an_edited_field_wins_over_the_preselected_suggestion_without_javascript(
    signed_in, applicant, world
):
    draft = draft_at(applicant, world.regions.ketabang)
    response = signed_in.post(
        f"/daftar/{draft.pk}/nama/",
        {
            "name": "KIM Ketabang Maju",
            "slug": "ketabang-kreatif",
            "saran_awal": "kim-ketabang-maju",
            "pakai_alamat": "kim-ketabang-maju",
        },
        kelola=True,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "ketabang-kreatif"


def test_a_saved_name_prefills_a_free_subdomain(signed_in, applicant, world):
    draft = draft_at(applicant, world.regions.ketabang)
    draft.name = "KIM Ketabang Maju"  # taken as kim-ketabang-maju? no: KIM A is kim-ketabang
    draft.save()
    text = body(signed_in.get(f"/daftar/{draft.pk}/nama/", kelola=True))
    assert 'name="slug" value="kim-ketabang-maju"' in text


# --- A village that already has a KIM --------------------------------------------------------


def test_a_village_with_a_kim_or_a_pending_sign_up_is_named_and_linked(signed_in, applicant, world):
    draft = draft_at(applicant, world.regions.ketabang)
    text = body(signed_in.get(f"/daftar/{draft.pk}/nama/", kelola=True))
    assert "Desa/kelurahan Ketabang sudah punya KIM:" in text
    assert 'href="http://kim-ketabang.localhost:8000/">KIM Ketabang Maju</a>' in text
    assert "tetap boleh melanjutkan" in text

    services.community_set_village(community=draft, village=world.regions.kapasari)
    text = body(signed_in.get(f"/daftar/{draft.pk}/desa/", kelola=True))
    assert "KIM Kapasari" in text and "menunggu verifikasi" in text
    assert "kim-kapasari.localhost" not in text  # a pending sign-up has no site to link

    services.community_set_village(community=draft, village=world.regions.sumbersekar)
    text = body(signed_in.get(f"/daftar/{draft.pk}/nama/", kelola=True))
    assert "sudah punya KIM" not in text


def test_the_village_picker_names_the_button_it_has(signed_in, applicant):
    draft = draft_at(applicant)
    text = body(signed_in.get(f"/daftar/{draft.pk}/desa/", kelola=True))
    assert "“Pilih”" not in text
    assert "“Muat pilihan”" in text and ">Muat pilihan</button>" in text


def test_a_village_chosen_on_a_region_page_is_preselected(signed_in, applicant, world):
    code = world.regions.sumbersekar.code
    page = signed_in.get(f"/daftar/?desa={code}", kelola=True)
    assert f'name="desa" value="{code}"' in body(page)
    response = signed_in.post("/daftar/", {"desa": code}, kelola=True)
    draft = Community.objects.get(applicant=applicant)
    assert response["Location"] == f"/daftar/{draft.pk}/desa/"
    assert draft.village == world.regions.sumbersekar
    assert 'value="35.07.20.2005" selected' in body(
        signed_in.get(response["Location"], kelola=True)
    )


def test_an_unknown_village_code_is_ignored(signed_in, applicant):
    assert signed_in.get("/daftar/?desa=99.99.99.9999", kelola=True).status_code == 200
    signed_in.post("/daftar/", {"desa": "x" * 40}, kelola=True)
    assert Community.objects.get(applicant=applicant).village is None


# --- Roster ----------------------------------------------------------------------------------


def roster_post(rows):
    data = {"anggota-TOTAL_FORMS": str(len(rows)), "anggota-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for name in ("name", "position", "position_detail", "phone"):
            data[f"anggota-{i}-{name}"] = row.get(name, "anggota" if name == "position" else "")
    return data


def test_every_roster_problem_shows_in_one_round(signed_in, applicant):
    draft = draft_at(applicant)
    rows = [{"name": "Tanpa Ketua", "phone": "abc"}, {"phone": "0812345678"}] + [
        {"name": f"Warga {i}"} for i in range(3)
    ]
    text = body(signed_in.post(f"/daftar/{draft.pk}/anggota/", roster_post(rows), kelola=True))
    assert "Nomor HP hanya boleh berisi angka" in text  # a row error …
    assert "Tuliskan nama anggota." in text  # … another row's …
    assert "Isi sedikitnya 10 anggota" in text  # … and the roster's, all at once
    assert "belum ada ketua" in text
    assert 'href="#anggota-1"' in text and 'href="#anggota-2"' in text


def test_parse_roster_list_reads_commas_semicolons_tabs_and_positions():
    rows = parse_roster_list(
        "Nama,Jabatan,HP\n"
        "Sri Wahyuni, Ketua, 0812-1111-2222\n"
        "Budi;Seksi Humas;0813 2222 3333\n"
        "Ani\tBendahara\n"
        '"Rahmat, S.Pd.",Koordinator lapangan\n'
        "\n"
        "Tono\n"
    )
    assert [(r["name"], r["position"], r["position_detail"], r["phone"]) for r in rows] == [
        ("Sri Wahyuni", "ketua", "", "0812-1111-2222"),
        ("Budi", "seksi", "Humas", "0813 2222 3333"),
        ("Ani", "bendahara", "", ""),
        ("Rahmat, S.Pd.", "anggota", "Koordinator lapangan", ""),
        ("Tono", "anggota", "", ""),
    ]


def test_a_pasted_list_fills_the_roster_and_is_checked_at_once(signed_in, applicant):
    draft = draft_at(applicant)
    pasted = (
        "Sri Wahyuni, Ketua, 0812-1111-2222\n"
        + "\n".join(f"Warga {i}, Anggota" for i in range(8))
        + "\nSalah Nomor, Anggota, telp-ku"
    )
    text = body(
        signed_in.post(
            f"/daftar/{draft.pk}/anggota/", {"impor": "1", "daftar": pasted}, kelola=True
        )
    )
    assert "10 baris diimpor" in text
    assert 'value="Sri Wahyuni"' in text and 'value="Warga 7"' in text
    assert "Nomor HP hanya boleh berisi angka" in text
    assert draft.members.count() == 0  # nothing saved until "Simpan & lanjut"


def test_a_csv_file_is_imported_after_the_saved_rows(signed_in, applicant):
    draft = draft_at(applicant)
    services.community_set_roster(
        community=draft, members=[services.MemberData(name="Sudah Ada", position="ketua")]
    )
    csv_file = SimpleUploadedFile(
        "anggota.csv",
        b"nama;jabatan;hp\n" + "\n".join(f"Warga {i};;" for i in range(9)).encode(),
        "text/csv",
    )
    response = signed_in.post(
        f"/daftar/{draft.pk}/anggota/", {"impor": "1", "berkas": csv_file}, kelola=True
    )
    text = body(response)
    assert "9 baris diimpor" in text
    names = re.findall(r'name="anggota-\d+-name"[^>]*value="([^"]*)"', text)
    assert names[0] == "Sudah Ada" and names[-1] == "Warga 8" and len(names) == 10
    assert "Periksa kembali daftar anggota." not in text  # ten rows, one ketua: nothing to fix


def test_an_empty_import_says_so_and_keeps_the_saved_roster(signed_in, applicant):
    draft = draft_at(applicant)
    text = body(
        signed_in.post(f"/daftar/{draft.pk}/anggota/", {"impor": "1", "daftar": " \n"}, kelola=True)
    )
    assert "Tidak ada nama yang dapat dibaca" in text
    assert text.count('<fieldset class="signup-member') == 10


def test_an_import_goes_only_to_ones_own_sign_up(signed_in, world):
    response = signed_in.post(
        f"/daftar/{world.pending_a.pk}/anggota/", {"impor": "1", "daftar": "X"}, kelola=True
    )
    assert response.status_code == 404


def test_a_visitor_without_an_account_keeps_the_chosen_village_through_the_email_link(
    client, world, django_capture_on_commit_callbacks
):
    code = world.regions.sumbersekar.code
    page = client.get(f"/daftar/?desa={code}", kelola=True).content.decode()
    assert "Sumbersekar sudah dipilih" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/daftar/",
            {"full_name": "Warga Dau", "email": "dau@example.id", "desa": code},
            kelola=True,
        )
    link = re.search(r"http://kelola\.localhost:8000(/daftar/akun/[^/\s]+/)", mail.outbox[-1].body)
    password = "kabar-dau-2026-aman"
    response = client.post(
        link.group(1),
        {"full_name": "Warga Dau", "password1": password, "password2": password},
        kelola=True,
    )
    draft = Community.objects.get(applicant__email="dau@example.id")
    assert response["Location"] == f"/daftar/{draft.pk}/desa/"
    assert draft.village == world.regions.sumbersekar
