"""Issue 11, staff and members: each dashboard says what its person can do, greetings use a
person's name, a KIM's name keeps its own "KIM", invitations can go by WhatsApp, one time
format per language."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from communities import services
from communities.models import Invitation, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NO_ROLE = "Anda belum punya peran di KIM mana pun"


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/", kelola=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "who", ["surabaya_admin", "jatim_admin", "national_admin", "bandung_admin"]
)
def test_staff_dashboards_say_what_staff_do_not_that_they_have_no_role(client, world, who):
    text = dashboard(client, getattr(world, who))
    assert NO_ROLE not in text
    assert "Sebagai admin Diskominfo" in text
    assert 'href="/moderasi/"' in text and 'href="/verifikasi/"' in text


def test_an_applicant_is_told_what_comes_after_verification(client, world):
    text = dashboard(client, world.pending_applicant)
    assert NO_ROLE not in text
    assert "Anda menjadi admin KIM itu" in text


@pytest.mark.parametrize(
    ("who", "duty"),
    [
        ("a_admin", "mengelola anggota dan peran"),
        ("a_editor", "menyunting tulisan anggota lain"),
        ("a_contributor", "Menulis tulisan dengan foto"),
    ],
)
def test_members_see_what_their_role_may_do(client, world, who, duty):
    text = dashboard(client, getattr(world, who))
    assert duty in text and NO_ROLE not in text


def test_someone_with_nothing_yet_is_told_how_to_start(client, world):
    assert NO_ROLE in dashboard(client, world.outsider)


@pytest.mark.parametrize(
    "full_name", ["Diskominfo Kota Surabaya", "Tim Relawan Ketabang", "Bu Sri Wahyuni"]
)
def test_the_greeting_uses_the_whole_name(client, world, full_name):
    user = make_user("sapa@example.id", full_name=full_name)
    assert f"Selamat datang, {full_name}!" in dashboard(client, user)


def test_a_greeting_without_a_name_uses_the_email(client, world):
    user = make_user("tanpa.nama@example.id", full_name="")
    user.full_name = ""
    user.save()
    assert "Selamat datang, tanpa.nama@example.id!" in dashboard(client, user)


# --- A KIM's name keeps its own "KIM" --------------------------------------------------------


def test_emails_never_say_kim_twice(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.community_verify(community=world.pending_a, actor=world.surabaya_admin)
        services.invitation_create(
            community=world.kim_a, actor=world.a_admin, email="baru@example.id", role="editor"
        )
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        html = message.alternatives[0][0] if message.alternatives else ""
        for text in (message.subject, message.body, html):
            assert "KIM KIM" not in text and 'KIM "KIM' not in text, text
    subjects = [m.subject for m in mail.outbox]
    assert "KIM Kapasari sudah terverifikasi" in subjects
    assert "Undangan bergabung mengelola KIM Ketabang Maju" in subjects


def test_a_name_typed_without_kim_gets_it_once(client, world):
    applicant = make_user("nama@example.id")
    client.force_login(applicant)
    draft = services.community_draft_start(applicant=applicant)
    for typed, kept in (
        ("Ketabang  Muda", "KIM Ketabang Muda"),
        ("KIM Ketabang Muda", "KIM Ketabang Muda"),
        ("Forum Kim Ketabang", "Forum Kim Ketabang"),
    ):
        client.post(
            f"/daftar/{draft.pk}/nama/", {"name": typed, "slug": "ketabang-muda"}, kelola=True
        )
        draft.refresh_from_db()
        assert draft.name == kept


# --- Invitations by WhatsApp -----------------------------------------------------------------


def test_an_invitation_gives_a_whatsapp_link_once_with_the_same_single_use_token(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kim/kim-ketabang/peran/",
            {"email": "warga.baru@example.id", "role": "contributor"},
            kelola=True,
        )
    page = client.get(response["Location"], kelola=True).content.decode()
    emailed = re.search(r"http://kelola\.localhost:8000/undangan/[\w-]+/", mail.outbox[-1].body)
    whatsapp = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page).group(1)
    text = parse_qs(urlparse(whatsapp.replace("&amp;", "&")).query)["text"][0]
    assert emailed.group(0) in text and "warga.baru@example.id" in text
    assert f'value="{emailed.group(0)}"' in page
    # Shown once: the token is not kept anywhere the page could show it again.
    again = client.get("/kim/kim-ketabang/peran/", kelola=True).content.decode()
    assert "wa.me/?text" not in again and emailed.group(0) not in again
    # The same single-use token: accepted once, then dead.
    newcomer = make_user("warga.baru@example.id")
    client.force_login(newcomer)
    path = urlparse(emailed.group(0)).path
    client.post(path, kelola=True)
    assert Role.objects.filter(user=newcomer, community=world.kim_a).exists()
    assert client.get(path, kelola=True).status_code == 404


def test_a_revoked_invitation_shows_no_whatsapp_link(client, world):
    client.force_login(world.a_admin)
    response = client.post(
        "/kim/kim-ketabang/peran/", {"email": "batal@example.id", "role": "editor"}, kelola=True
    )
    invitation = Invitation.objects.get(email="batal@example.id")
    services.invitation_revoke(community=world.kim_a, actor=world.a_admin, invitation=invitation)
    page = client.get(response["Location"], kelola=True).content.decode()
    assert "wa.me/?text" not in page


def test_another_kims_admin_never_sees_the_link(client, world):
    client.force_login(world.a_admin)
    client.post(
        "/kim/kim-ketabang/peran/", {"email": "rahasia@example.id", "role": "editor"}, kelola=True
    )
    client.cookies.clear()  # another person's browser (the flash message is a cookie)
    client.force_login(world.b_admin)
    page = client.get("/kim/kim-gegerkalong/peran/", kelola=True).content.decode()
    assert "wa.me/?text" not in page and "rahasia@example.id" not in page


# --- One time format per language ------------------------------------------------------------


def test_times_use_one_format_per_language(settings):
    from django.template import Context, Template

    settings.FORMAT_MODULE_PATH = ["kimportal.formats"]
    formats.reset_format_cache()
    moment = timezone.make_aware(datetime.datetime(2026, 1, 15, 5, 27))
    template = Template('{{ t|date:"DATETIME_FORMAT" }}|{{ t|date:"TIME_FORMAT" }}')
    with translation.override("id"):
        assert template.render(Context({"t": moment})) == "15 Januari 2026, 05.27|05.27"
    with translation.override("en"):
        assert template.render(Context({"t": moment})) == "15 January 2026, 05:27|05:27"


def test_kelola_pages_use_the_languages_format(client, world, settings):
    settings.FORMAT_MODULE_PATH = ["kimportal.formats"]
    formats.reset_format_cache()
    client.force_login(world.surabaya_admin)
    text = client.get(f"/verifikasi/{world.pending_a.pk}/", kelola=True).content.decode()
    submitted = timezone.localtime(world.pending_a.submitted_at)
    assert submitted.strftime("%H.%M") in text
    assert submitted.strftime(", %H:%M<") not in text


@pytest.fixture(autouse=True)
def _fresh_format_cache():
    yield
    formats.reset_format_cache()  # the next test formats with the settings it has


# --- The profile page's logo and cover -------------------------------------------------------


def test_the_logo_field_shows_the_image_and_a_labelled_hapus_checkbox_that_clears_it(
    client, world, django_capture_on_commit_callbacks
):
    from tests.communities.test_manage import profile_data

    world.kim_a.logo.name = "kim/logo/ketabang.png"
    world.kim_a.save()
    client.force_login(world.a_admin)
    text = client.get("/kim/kim-ketabang/profil/", kelola=True).content.decode()
    assert '<img src="/media/kim/logo/ketabang.png" alt=""' in text
    assert '<input type="checkbox" name="logo-clear" id="logo-clear_id">' in text
    assert '<label for="logo-clear_id">Hapus logo</label>' in text
    assert 'name="cover-clear"' not in text  # no cover: nothing to remove
    assert "Saat ini" not in text and "Currently" not in text  # not the widget's own layout
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kim/kim-ketabang/profil/", {**profile_data(), "logo-clear": "on"}, kelola=True
        )
    assert response.status_code == 302
    world.kim_a.refresh_from_db()
    assert not world.kim_a.logo
