"""A KIM's own pages on kelola (manage:*): overview, profile, roster, roles, invitations."""

import io
import os
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from communities import services
from communities.forms.manage import (
    brand_colour_is_readable,
    contrast_ratio,
    normalise_whatsapp,
    readable_text_colour,
)
from communities.models import Community, Invitation, Member, Role
from tests.factories import make_role, make_user

pytestmark = pytest.mark.django_db

# Session (when not cached), user, the KIM, the user's roles, staff scopes (nav), then the page:
ROSTER_QUERIES = 6  # the members
ROLES_QUERIES = 7  # the roles with their users, the open invitations with their inviters


def body(response) -> str:
    return response.content.decode()


def png(size=(40, 40), colour=(10, 92, 168)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def profile_data(**overrides) -> dict:
    data = {
        "name": "KIM Ketabang Maju",
        "tagline": "Kabar warga Ketabang",
        "about": "Kami warga Ketabang.",
        "vision": "",
        "mission": "",
        "focus_sectors": ["umkm", "literasi_digital"],
        "street_address": "Jl. Ketabang Kali 1",
        "brand_colour": "#1E6B34",
        "whatsapp": "0812-3456-7890",
        "email": "kim@ketabang.id",
        "website": "https://ketabang.id",
        "facebook": "",
        "instagram": "https://instagram.com/kimketabang",
        "youtube": "",
        "tiktok": "",
    }
    data.update(overrides)
    return data


def admin_client(client, world):
    client.force_login(world.a_admin)
    return client


# --- Pure helpers ----------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#0a5ca8", "#ffffff") == pytest.approx(6.75, abs=0.01)
    assert contrast_ratio("#ffffff", "#0a5ca8") == contrast_ratio("#0a5ca8", "#ffffff")
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("colour", "readable"),
    [
        ("#0a5ca8", True),  # the default brand colour
        ("#000000", True),
        ("#767676", True),  # 4.54:1, the lightest grey that passes
        ("#777777", False),  # 4.48:1
        ("#ffcc00", False),
        ("#ffffff", False),
    ],
)
def test_brand_colour_needs_4_5_to_1_with_white(colour, readable):
    assert brand_colour_is_readable(colour) is readable


def test_readable_text_colour_picks_white_or_black():
    assert readable_text_colour("#0a5ca8") == "#ffffff"
    assert readable_text_colour("#ffcc00") == "#000000"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("62812.3456.7890", "6281234567890"),
        ("(0812) 345 678", "62812345678"),
        ("81234567890", "6281234567890"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_whatsapp_numbers_are_normalised(typed, stored):
    assert normalise_whatsapp(typed) == stored


@pytest.mark.parametrize(
    "typed", ["021-555-1234", "0812", "nomor saya", "+1 415 555 0100", "０８１２"]
)
def test_whatsapp_numbers_that_are_not_indonesian_mobiles_are_refused(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalise_whatsapp(typed)


# --- Overview --------------------------------------------------------------------------------


def test_overview_for_a_contributor(client, world):
    client.force_login(world.a_contributor)
    page = body(client.get("/kim/kim-ketabang/", kelola=True))
    assert "KIM Ketabang Maju" in page
    assert "35.78.09.1003.01" in page
    assert "Kontributor" in page
    assert 'href="http://kim-ketabang.localhost:8000/"' in page
    assert "/kim/kim-ketabang/profil/" not in page
    assert 'href="/kim/kim-ketabang/keluar/"' in page


def test_overview_for_an_admin_links_to_the_admin_pages(client, world):
    page = body(admin_client(client, world).get("/kim/kim-ketabang/", kelola=True))
    assert "Admin KIM" in page
    for path in ("profil", "anggota", "peran"):
        assert f'href="/kim/kim-ketabang/{path}/"' in page


def test_a_suspended_kim_shows_why_and_hides_admin_pages(client, world):
    services.community_suspend(
        community=world.kim_a, actor=world.surabaya_admin, reason="Memuat hoaks banjir."
    )
    client.force_login(world.a_admin)
    page = body(client.get("/kim/kim-ketabang/", kelola=True))
    assert "Dibekukan" in page and "Memuat hoaks banjir." in page
    assert "/kim/kim-ketabang/profil/" not in page
    assert "http://kim-ketabang.localhost:8000/" not in page
    assert client.get("/kim/kim-ketabang/profil/", kelola=True).status_code == 404


# --- Profile ---------------------------------------------------------------------------------


def test_profile_form_is_prefilled(client, world):
    page = body(admin_client(client, world).get("/kim/kim-ketabang/profil/", kelola=True))
    assert 'value="KIM Ketabang Maju"' in page
    assert 'type="color"' in page and 'value="#0a5ca8"' in page
    assert 'type="checkbox" name="focus_sectors" value="umkm"' in page
    assert 'enctype="multipart/form-data"' in page


def test_profile_edit_saves_and_normalises(client, world):
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", profile_data(), kelola=True
    )
    assert response.status_code == 302
    assert response["Location"] == "/kim/kim-ketabang/profil/"
    community = Community.objects.get(pk=world.kim_a.pk)
    assert community.whatsapp == "6281234567890"
    assert community.brand_colour == "#1e6b34"
    assert community.focus_sectors == ["umkm", "literasi_digital"]
    assert community.tagline == "Kabar warga Ketabang"
    assert community.instagram == "https://instagram.com/kimketabang"
    page = body(client.get(response["Location"], kelola=True))
    assert "Profil KIM disimpan." in page
    assert re.search(r'value="umkm"[^>]*checked', page)
    assert not re.search(r'value="pertanian"[^>]*checked', page)


@pytest.mark.parametrize(
    ("colour", "error"),
    [
        ("#ffcc00", "Warna ini terlalu terang"),
        ("#777777", "4,5:1"),
        ("merah", "Gunakan kode warna seperti #0a5ca8."),
        ("#12345", "Gunakan kode warna seperti #0a5ca8."),
        ("", "Pilih warna utama."),
    ],
)
def test_profile_refuses_a_colour_that_is_invalid_or_unreadable(client, world, colour, error):
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/",
        profile_data(brand_colour=colour, tagline="Slogan yang tidak hilang"),
        kelola=True,
    )
    page = body(response)
    assert response.status_code == 200
    assert error in page
    assert 'value="Slogan yang tidak hilang"' in page
    community = Community.objects.get(pk=world.kim_a.pk)
    assert community.brand_colour == "#0a5ca8"
    assert community.tagline == ""


def test_profile_requires_a_name(client, world):
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", profile_data(name="  "), kelola=True
    )
    assert response.status_code == 200
    assert "Isi nama KIM." in body(response)
    assert Community.objects.get(pk=world.kim_a.pk).name == "KIM Ketabang Maju"


def test_profile_refuses_a_bad_whatsapp_number_keeping_it(client, world):
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", profile_data(whatsapp="021-555-1234"), kelola=True
    )
    assert response.status_code == 200
    assert "Nomor WhatsApp tidak valid" in body(response)
    assert 'value="021-555-1234"' in body(response)


def test_profile_refuses_a_file_that_is_not_an_image(client, world):
    fake = SimpleUploadedFile("logo.png", b"<?php echo 'bukan gambar'; ?>", "image/png")
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", {**profile_data(), "logo": fake}, kelola=True
    )
    assert response.status_code == 200
    assert "Berkas ini bukan gambar atau gambarnya rusak." in body(response)
    assert not Community.objects.get(pk=world.kim_a.pk).logo


def test_profile_refuses_an_image_over_5_mb(client, world):
    side = 1400  # random pixels do not compress: ~5.9 MB as PNG
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 5 * 1024 * 1024
    upload = SimpleUploadedFile("sampul.png", buffer.getvalue(), "image/png")
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", {**profile_data(), "cover": upload}, kelola=True
    )
    assert response.status_code == 200
    assert "Gambar maksimal 5 MB." in body(response)


def test_profile_refuses_an_image_format_other_than_jpeg_png_webp(client, world):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "GIF")
    upload = SimpleUploadedFile("logo.gif", buffer.getvalue(), "image/gif")
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", {**profile_data(), "logo": upload}, kelola=True
    )
    assert response.status_code == 200
    assert "Gunakan gambar JPEG, PNG, atau WebP." in body(response)


def test_profile_accepts_a_real_logo_and_keeps_it_on_the_next_save(client, world):
    upload = SimpleUploadedFile("logo.png", png(), "image/png")
    admin_client(client, world).post(
        "/kim/kim-ketabang/profil/", {**profile_data(), "logo": upload}, kelola=True
    )
    community = Community.objects.get(pk=world.kim_a.pk)
    assert community.logo.name.startswith("kim/logo/")
    assert community.logo.storage.exists(community.logo.name)
    with community.logo.open("rb") as saved, Image.open(saved) as stored:
        # Re-encoded (metadata stripped, see test_profile_images), the same picture.
        assert stored.format == "PNG" and stored.getpixel((0, 0)) == (10, 92, 168)
    # Saving again without a new file keeps the logo.
    client.post("/kim/kim-ketabang/profil/", profile_data(tagline="Baru"), kelola=True)
    community.refresh_from_db()
    assert community.tagline == "Baru" and community.logo.name.startswith("kim/logo/")


@pytest.mark.parametrize("actor", ["a_editor", "a_contributor", "surabaya_admin", "b_admin"])
def test_profile_is_for_the_kims_admins_only(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get("/kim/kim-ketabang/profil/", kelola=True).status_code == 404
    response = client.post("/kim/kim-ketabang/profil/", profile_data(tagline="X"), kelola=True)
    assert response.status_code == 404
    assert Community.objects.get(pk=world.kim_a.pk).tagline == ""


# --- Roster ----------------------------------------------------------------------------------


def test_roster_lists_members_with_phones(client, world):
    page = body(admin_client(client, world).get("/kim/kim-ketabang/anggota/", kelola=True))
    assert "Anggota 0 kim-ketabang" in page and "Ketua" in page
    assert 'href="tel:08120000003"' in page
    assert "Anggota 0 kim-gegerkalong" not in page


def test_roster_add_edit_and_delete(client, world):
    admin_client(client, world)
    form = body(client.get("/kim/kim-ketabang/anggota/tambah/", kelola=True))
    assert 'name="position"' in form and 'label for="id_phone"' in form

    response = client.post(
        "/kim/kim-ketabang/anggota/tambah/",
        {"name": "Siti Humas", "position": "seksi", "position_detail": "Seksi Humas",
         "phone": "0813 1111 2222"},
        kelola=True,
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/kim/kim-ketabang/anggota/"
    member = Member.objects.get(community=world.kim_a, name="Siti Humas")
    assert member.position_detail == "Seksi Humas" and member.phone == "0813 1111 2222"

    edit_url = f"/kim/kim-ketabang/anggota/{member.pk}/"
    assert 'value="Siti Humas"' in body(client.get(edit_url, kelola=True))
    client.post(edit_url, {"name": "Siti Aminah", "position": "sekretaris"}, kelola=True)
    member.refresh_from_db()
    assert (member.name, member.position, member.phone) == ("Siti Aminah", "sekretaris", "")

    confirm = client.get(f"{edit_url}hapus/", kelola=True)
    assert confirm.status_code == 200 and "Hapus Siti Aminah" in body(confirm)
    assert Member.objects.filter(pk=member.pk).exists()
    response = client.post(f"{edit_url}hapus/", kelola=True, follow=True)
    assert "Siti Aminah dihapus dari daftar anggota." in body(response)
    assert not Member.objects.filter(pk=member.pk).exists()


def test_roster_errors_keep_what_was_typed(client, world):
    admin_client(client, world)
    response = client.post(
        "/kim/kim-ketabang/anggota/tambah/",
        {"name": "Pak Ketua Kedua", "position": "ketua", "phone": "0812 999"},
        kelola=True,
    )
    page = body(response)
    assert response.status_code == 200
    assert "KIM ini sudah punya ketua" in page
    assert 'value="Pak Ketua Kedua"' in page
    assert not Member.objects.filter(name="Pak Ketua Kedua").exists()

    response = client.post(
        "/kim/kim-ketabang/anggota/tambah/",
        {"name": "", "position": "anggota", "phone": "telepon saya"},
        kelola=True,
    )
    assert "Isi nama anggota." in body(response)
    assert "Nomor HP hanya boleh berisi angka" in body(response)


def test_a_member_of_another_kim_is_404(client, world):
    foreign = world.kim_b.members.first()
    admin_client(client, world)
    edit = f"/kim/kim-ketabang/anggota/{foreign.pk}/"
    for url in (edit, f"{edit}hapus/"):
        assert client.get(url, kelola=True).status_code == 404
        response = client.post(url, {"name": "Dibajak", "position": "anggota"}, kelola=True)
        assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Anggota 0 kim-gegerkalong"


def test_roster_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    admin_client(client, world)
    with django_assert_max_num_queries(ROSTER_QUERIES):
        client.get("/kim/kim-ketabang/anggota/", kelola=True)
    Member.objects.bulk_create(
        Member(community=world.kim_a, name=f"Baru {i}", position="anggota", sort_order=50 + i)
        for i in range(30)
    )
    with django_assert_max_num_queries(ROSTER_QUERIES):
        response = client.get("/kim/kim-ketabang/anggota/", kelola=True)
    assert "Baru 29" in body(response)


# --- Invitations -----------------------------------------------------------------------------


def invite(client, world, email: str, role: str = "editor", capture=None) -> str:
    """Invite through the roles page; return the accept path from the email."""
    admin_client(client, world)
    with capture(execute=True):
        response = client.post(
            "/kim/kim-ketabang/peran/", {"email": email, "role": role}, kelola=True
        )
    assert response.status_code == 302, body(response)
    message = mail.outbox[-1]
    assert message.to == [email.lower()]
    url = re.search(r"http://kelola\.localhost:8000(/undangan/[\w-]+/)", message.body)
    assert url, message.body
    return url.group(1)


def test_roles_page_lists_people_invitations_and_the_invite_form(client, world):
    Invitation.objects.create(
        community=world.kim_a,
        email="calon@example.id",
        role="contributor",
        token_hash="x" * 64,
        invited_by=world.a_admin,
        expires_at=timezone.now() + timedelta(days=3),
    )
    page = body(admin_client(client, world).get("/kim/kim-ketabang/peran/", kelola=True))
    for text in ("Admin A", "Editor A", "Contributor A", "a-editor@example.id", "calon@example.id"):
        assert text in page
    assert "b-admin@example.id" not in page
    assert 'name="email"' in page and 'name="role"' in page


def test_invite_a_new_person_who_creates_an_account(
    client, world, django_capture_on_commit_callbacks
):
    path = invite(client, world, "Relawan@Example.id", "editor", django_capture_on_commit_callbacks)
    assert "relawan@example.id" in body(client.get("/kim/kim-ketabang/peran/", kelola=True))
    assert "mengundang Anda menjadi Editor" in mail.outbox[-1].body
    client.logout()

    page = body(client.get(path, kelola=True))
    assert "KIM Ketabang Maju" in page and "Editor" in page
    assert 'value="relawan@example.id" readonly' in page
    assert 'name="password1"' in page

    mismatch = client.post(
        path,
        {"full_name": "Rina Relawan", "password1": "kabar-warga-2026", "password2": "lain-lagi"},
        kelola=True,
    )
    assert mismatch.status_code == 200
    assert "Kedua kata sandi tidak sama." in body(mismatch)
    assert 'value="Rina Relawan"' in body(mismatch)
    assert not User.objects.filter(email="relawan@example.id").exists()

    response = client.post(
        path,
        {"full_name": "Rina Relawan", "password1": "kabar-warga-2026",
         "password2": "kabar-warga-2026"},
        kelola=True,
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/kim/kim-ketabang/"
    user = User.objects.get(email="relawan@example.id")
    assert user.full_name == "Rina Relawan" and user.check_password("kabar-warga-2026")
    assert Role.objects.get(community=world.kim_a, user=user).role == "editor"
    overview = body(client.get("/kim/kim-ketabang/", kelola=True))  # signed in now
    assert "Akun Anda dibuat. Anda kini Editor di KIM Ketabang Maju." in overview
    # Used: the link is dead.
    client.logout()
    used = client.get(path, kelola=True)
    assert used.status_code == 404 and "Undangan tidak berlaku" in body(used)


def test_a_weak_password_is_refused(client, world, django_capture_on_commit_callbacks):
    path = invite(
        client, world, "baru@example.id", "contributor", django_capture_on_commit_callbacks
    )
    client.logout()
    response = client.post(
        path, {"full_name": "Baru", "password1": "12345678", "password2": "12345678"}, kelola=True
    )
    assert response.status_code == 200
    assert 'class="error"' in body(response)
    assert not User.objects.filter(email="baru@example.id").exists()


def test_invite_someone_with_an_account_who_signs_in_first(
    client, world, django_capture_on_commit_callbacks
):
    path = invite(
        client, world, "warga@example.id", "contributor", django_capture_on_commit_callbacks
    )
    client.logout()
    page = body(client.get(path, kelola=True))
    assert f'href="/masuk/?next={path}"' in page
    assert 'name="password1"' not in page
    # Anonymous POSTs create nothing for an existing address.
    client.post(path, {"full_name": "X", "password1": "a", "password2": "a"}, kelola=True)
    assert not Role.objects.filter(user=world.outsider).exists()

    signed_in = client.post(
        "/masuk/",
        {"username": "warga@example.id", "password": "rahasia-kim-123", "next": path},
        kelola=True,
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == path
    page = body(client.get(path, kelola=True))
    assert "Terima dan menjadi Kontributor" in page
    assert "tetapi Anda masuk sebagai" not in page
    response = client.post(path, kelola=True)
    assert response.status_code == 302 and response["Location"] == "/kim/kim-ketabang/"
    assert Role.objects.get(community=world.kim_a, user=world.outsider).role == "contributor"


def test_another_signed_in_account_cannot_accept_someone_elses_invitation(
    client, world, django_capture_on_commit_callbacks
):
    path = invite(
        client, world, "orang-lain@example.id", "editor", django_capture_on_commit_callbacks
    )
    # A member of another KIM who got hold of the link.
    client.force_login(world.b_editor)
    page = body(client.get(path, kelola=True))
    assert "Undangan ini dikirim ke orang-lain@example.id" in page
    assert "Hanya pemilik alamat orang-lain@example.id yang dapat menerimanya" in page
    assert "Terima dan menjadi" not in page
    assert 'action="/keluar/"' in page
    assert f'name="next" value="/masuk/?next={path}"' in page
    response = client.post(path, kelola=True)
    assert response.status_code == 403
    assert "keluar, lalu masuk dengan akun orang-lain@example.id" in body(response)
    assert not Role.objects.filter(community=world.kim_a, user=world.b_editor).exists()
    assert Invitation.objects.get().accepted_at is None
    signed_out = client.post("/keluar/", {"next": f"/masuk/?next={path}"}, kelola=True)
    assert signed_out["Location"] == f"/masuk/?next={path}"
    # The invited person can still accept it.
    client.force_login(make_user("Orang-Lain@Example.id"))
    response = client.post(path, kelola=True)
    assert response.status_code == 302 and response["Location"] == "/kim/kim-ketabang/"
    assert Role.objects.get(community=world.kim_a, user__email="orang-lain@example.id").role == (
        "editor"
    )


def test_the_new_account_of_an_invitation_gets_the_invited_address_only(
    client, world, django_capture_on_commit_callbacks
):
    path = invite(
        client, world, "undangan@example.id", "editor", django_capture_on_commit_callbacks
    )
    client.logout()
    response = client.post(
        path,
        {"email": "penyusup@example.id", "full_name": "Rina", "password1": "kabar-warga-2026",
         "password2": "kabar-warga-2026"},
        kelola=True,
    )  # fmt: skip
    assert response.status_code == 302
    assert not User.objects.filter(email="penyusup@example.id").exists()
    user = User.objects.get(email="undangan@example.id")
    assert Role.objects.get(community=world.kim_a, user=user).role == "editor"


def test_inviting_someone_who_already_has_a_role_is_refused(client, world):
    admin_client(client, world)
    response = client.post(
        "/kim/kim-ketabang/peran/", {"email": "a-editor@example.id", "role": "admin"}, kelola=True
    )
    assert response.status_code == 200
    assert "Pemilik email ini sudah punya peran di KIM ini." in body(response)
    assert 'value="a-editor@example.id"' in body(response)
    assert not Invitation.objects.exists()


def test_invite_form_errors(client, world):
    admin_client(client, world)
    response = client.post("/kim/kim-ketabang/peran/", {"email": "bukan-email"}, kelola=True)
    assert response.status_code == 200
    assert "Alamat email tidak valid." in body(response)


def test_expired_revoked_and_unknown_tokens(client, world):
    invitation, token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="telat@example.id", role="editor"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    for user in (None, world.outsider):
        if user:
            client.force_login(user)
        for path in (f"/undangan/{token}/", "/undangan/tidak-ada/"):
            response = client.get(path, kelola=True)
            assert response.status_code == 404
            assert "Undangan tidak berlaku" in body(response)
            assert "KIM Ketabang Maju" not in body(response)
            assert client.post(path, kelola=True).status_code == 404
    assert not Role.objects.filter(user=world.outsider).exists()


def test_revoke_an_invitation(client, world):
    invitation, token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="batal@example.id", role="editor"
    )
    admin_client(client, world)
    page = body(client.get("/kim/kim-ketabang/peran/", kelola=True))
    revoke_url = f"/kim/kim-ketabang/undangan/{invitation.pk}/batal/"
    assert f'action="{revoke_url}"' in page
    assert client.get(revoke_url, kelola=True).status_code == 405
    response = client.post(revoke_url, kelola=True, follow=True)
    assert "Undangan untuk batal@example.id dibatalkan." in body(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "batal@example.id" not in body(client.get("/kim/kim-ketabang/peran/", kelola=True))
    client.force_login(world.outsider)
    assert client.get(f"/undangan/{token}/", kelola=True).status_code == 404


def test_an_invitation_of_another_kim_cannot_be_revoked(client, world):
    invitation, _token = services.invitation_create(
        community=world.kim_b, actor=world.b_admin, email="b@example.id", role="editor"
    )
    admin_client(client, world)
    url = f"/kim/kim-ketabang/undangan/{invitation.pk}/batal/"
    assert client.post(url, kelola=True).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_roles_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    admin_client(client, world)
    with django_assert_max_num_queries(ROLES_QUERIES):
        client.get("/kim/kim-ketabang/peran/", kelola=True)
    for i in range(30):
        make_role(world.kim_a, make_user(f"relawan{i}@example.id"), "contributor")
        services.invitation_create(
            community=world.kim_a, actor=world.a_admin, email=f"u{i}@example.id", role="editor"
        )
    with django_assert_max_num_queries(ROLES_QUERIES):
        response = client.get("/kim/kim-ketabang/peran/", kelola=True)
    assert "relawan29@example.id" in body(response) and "u29@example.id" in body(response)


# --- Role changes and the last admin ---------------------------------------------------------


def test_change_and_remove_a_role(client, world):
    admin_client(client, world)
    role = Role.objects.get(community=world.kim_a, user=world.a_contributor)
    url = f"/kim/kim-ketabang/peran/{role.pk}/"
    page = body(client.get(url, kelola=True))
    assert "Contributor A" in page and 'name="role"' in page

    response = client.post(url, {"action": "change", "role": "editor"}, kelola=True, follow=True)
    assert "Peran Contributor A diubah." in body(response)
    role.refresh_from_db()
    assert role.role == "editor"

    response = client.post(url, {"action": "remove"}, kelola=True)
    assert response.status_code == 302 and response["Location"] == "/kim/kim-ketabang/peran/"
    assert not Role.objects.filter(pk=role.pk).exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(client, world):
    admin_client(client, world)
    role = Role.objects.get(community=world.kim_a, user=world.a_admin)
    url = f"/kim/kim-ketabang/peran/{role.pk}/"
    for data in ({"action": "change", "role": "editor"}, {"action": "remove"}):
        response = client.post(url, data, kelola=True)
        assert response.status_code == 200
        assert "KIM harus punya sedikitnya satu admin." in body(response)
        role.refresh_from_db()
        assert role.role == "admin"


def test_with_a_second_admin_an_admin_may_step_down(client, world):
    second = Role.objects.get(community=world.kim_a, user=world.a_editor)
    second.role = "admin"
    second.save()
    admin_client(client, world)
    own = Role.objects.get(community=world.kim_a, user=world.a_admin)
    response = client.post(
        f"/kim/kim-ketabang/peran/{own.pk}/", {"action": "change", "role": "editor"}, kelola=True
    )
    assert response.status_code == 302 and response["Location"] == "/"
    own.refresh_from_db()
    assert own.role == "editor"
    assert client.get("/kim/kim-ketabang/peran/", kelola=True).status_code == 404


def test_a_role_of_another_kim_is_404(client, world):
    foreign = Role.objects.get(community=world.kim_b, user=world.b_editor)
    admin_client(client, world)
    url = f"/kim/kim-ketabang/peran/{foreign.pk}/"
    assert client.get(url, kelola=True).status_code == 404
    assert client.post(url, {"action": "remove"}, kelola=True).status_code == 404
    assert Role.objects.filter(pk=foreign.pk).exists()


# --- Leaving ---------------------------------------------------------------------------------


def test_a_contributor_leaves(client, world):
    client.force_login(world.a_contributor)
    page = body(client.get("/kim/kim-ketabang/keluar/", kelola=True))
    assert "Keluar dari KIM Ketabang Maju?" in page and "Kontributor" in page
    assert Role.objects.filter(user=world.a_contributor).exists()
    response = client.post("/kim/kim-ketabang/keluar/", kelola=True, follow=True)
    assert "Anda telah keluar dari KIM Ketabang Maju." in body(response)
    assert not Role.objects.filter(user=world.a_contributor).exists()
    assert client.get("/kim/kim-ketabang/", kelola=True).status_code == 404


def test_the_last_admin_cannot_leave(client, world):
    admin_client(client, world)
    response = client.post("/kim/kim-ketabang/keluar/", kelola=True)
    assert response.status_code == 200
    assert "KIM harus punya sedikitnya satu admin." in body(response)
    assert Role.objects.filter(user=world.a_admin, community=world.kim_a).exists()
