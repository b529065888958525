"""A person downloads their data (/akun/data.json): everything kim.id holds about them, and
nothing of anyone else. `make_person` builds that person with a trace in every corner of the
app; tests/accounts/test_account_delete.py deletes them and looks for what is left."""

import json
import secrets
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts import personal_data
from accounts.models import User
from communities.models import Invitation, Member
from posts.models import ModerationEvent, PendingPhoto, PostRevision
from tests.aspirations.helpers import make_aspirasi
from tests.factories import make_community, make_post, make_role, make_user
from tests.support import HostClient

pytestmark = pytest.mark.django_db

NAME = "Sulastri Wahyuningtyas"
EMAIL = "sulastri.w@contoh.id"
PHONE = "081398765432"
PASSWORD = "rahasia-kim-123"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
# Other people's data that must never be in the person's download.
OTHERS = (
    "a-admin@example.id", "b-admin@example.id", "Admin A", "0812000", "undangan.baru@contoh.id",
    "Anggota 1 kim-ketabang", "warga@example.id",
)  # fmt: skip


def make_person(world) -> SimpleNamespace:
    """Sulastri: editor of KIM A, on its roster with her phone, author of posts and a revision,
    invited to KIM B, inviter of someone else, applicant of a draft KIM with an SK scan, owner of
    a photo kept for an unsaved post, sender of an aspiration with her email, KIM A's contact
    address, with a failed sign-in, a reset email waiting in the outbox, two signed-in browsers
    and an operator's admin log entry about her."""
    p = SimpleNamespace()
    p.user = make_user(EMAIL, full_name=NAME, password=PASSWORD)
    kim_a, kim_b = world.kim_a, world.kim_b
    make_role(kim_a, p.user, "editor")
    p.member = Member.objects.create(
        community=kim_a, name=NAME, position="sekretaris", phone=PHONE, user=p.user, sort_order=20
    )
    p.post = make_post(kim_a, author=p.user, title="Panen raya Ketabang", status="published")
    p.draft = make_post(kim_a, author=p.user, title="Draf lomba tujuhbelasan")
    p.revision = PostRevision.objects.create(
        community=kim_a, post=p.post, author=p.user, kind="kegiatan", title="Panen raya (ralat)"
    )
    ModerationEvent.objects.create(community=kim_a, post=p.post, actor=p.user, action="submitted")
    p.invited = Invitation.objects.create(
        community=kim_b, email=EMAIL, role="contributor", token_hash=secrets.token_hex(32),
        invited_by=world.b_admin, expires_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    Invitation.objects.create(
        community=kim_a, email="undangan.baru@contoh.id", role="contributor",
        token_hash=secrets.token_hex(32), invited_by=p.user,
        expires_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    p.application = make_community(
        village=world.regions.sumbersekar, slug="kim-sumbersekar", name="KIM Sumbersekar Lestari",
        status="draft", applicant=p.user,
    )  # fmt: skip
    p.application.sk_file.save("sk.pdf", ContentFile(f"%PDF-1.4 SK {NAME}".encode()), save=True)
    p.pending = PendingPhoto(
        community=kim_a, owner=p.user, token="t" * 32, name=f"{NAME}.jpg", size=20
    )
    p.pending.original.save("foto.jpg", ContentFile(f"JPEG {NAME} {PHONE}".encode()), save=True)
    p.aspirasi = make_aspirasi(
        community=kim_a, contact_name=NAME, contact_phone=PHONE, contact_email=EMAIL,
        text="Saluran air di RT 02 tersumbat.",
    )  # fmt: skip
    kim_a.email = EMAIL
    kim_a.save()
    p.phone = HostClient(HTTP_USER_AGENT=ANDROID_CHROME)
    p.phone.post("/masuk/", {"username": EMAIL, "password": PASSWORD}, kelola=True)
    p.laptop = HostClient(HTTP_USER_AGENT=WINDOWS_FIREFOX)
    p.laptop.post("/masuk/", {"username": EMAIL, "password": PASSWORD}, kelola=True)
    # Then a mistyped password elsewhere (a success would have wiped it), and a reset asked for
    # (its email still unsent in the outbox).
    HostClient().post("/masuk/", {"username": EMAIL, "password": "salah"}, kelola=True)
    HostClient().post("/lupa-kata-sandi/", {"email": EMAIL}, kelola=True)
    operator = make_user("operator@example.id", is_staff=True, is_superuser=True)
    LogEntry.objects.create(
        user=operator, content_type=ContentType.objects.get_for_model(User),
        object_id=str(p.user.pk), object_repr=str(p.user), action_flag=CHANGE, change_message="[]",
    )  # fmt: skip
    return p


@pytest.fixture
def person(world):
    return make_person(world)


def download(browser) -> tuple:
    response = browser.get("/akun/data.json", kelola=True)
    return response, json.loads(response.content)


def test_the_download_is_a_private_attachment(person):
    response, _data = download(person.phone)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="data-saya-kim-id.json"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_download_holds_everything_about_the_person(person):
    _response, data = download(person.phone)
    assert data["akun"]["email"] == EMAIL and data["akun"]["nama_lengkap"] == NAME
    assert [(r["kim"], r["peran"]) for r in data["peran_kim"]] == [("KIM Ketabang Maju", "editor")]
    assert data["daftar_pengurus"] == [
        {"kim": "KIM Ketabang Maju", "nama": NAME, "jabatan": "sekretaris",
         "keterangan_jabatan": "", "nomor_hp": PHONE},
    ]  # fmt: skip
    posts = {p["judul"]: p for p in data["tulisan"]}
    assert set(posts) == {"Panen raya Ketabang", "Draf lomba tujuhbelasan"}
    assert posts["Panen raya Ketabang"]["tautan"] == (
        "http://kim-ketabang.localhost:8000/kabar/panen-raya-ketabang/"
    )
    assert posts["Draf lomba tujuhbelasan"]["tautan"].startswith(
        "http://kelola.localhost:8000/kim/kim-ketabang/tulisan/"
    )
    assert posts["Panen raya Ketabang"]["id"] == person.post.pk
    assert [r["judul"] for r in data["perubahan_tulisan"]] == ["Panen raya (ralat)"]
    assert [i["kim"] for i in data["undangan_untuk_anda"]] == ["KIM Gegerkalong Sejahtera"]
    assert data["undangan_yang_anda_kirim"][0]["kim"] == "KIM Ketabang Maju"
    assert [a["nama"] for a in data["pendaftaran_kim"]] == ["KIM Sumbersekar Lestari"]
    assert data["aspirasi"][0]["nomor_telepon"] == PHONE
    assert data["foto_tertunda"][0]["nama_berkas"] == f"{NAME}.jpg"
    assert [(e["tulisan_id"], e["tindakan"]) for e in data["tindakan_moderasi"]] == [
        (person.post.pk, "submitted")
    ]
    assert data["percobaan_masuk_gagal"][0]["jumlah"] == 1
    assert sorted((s["perangkat"], s["sesi_ini"]) for s in data["sesi"]) == [
        ("Chrome di Android", True),
        ("Firefox di Windows", False),
    ]


def test_the_download_holds_nothing_of_anyone_else(person):
    response, _data = download(person.phone)
    text = response.content.decode()
    for other in OTHERS:
        assert other not in text, other
    for secret in (person.phone.session.session_key, person.laptop.session.session_key):
        assert secret not in text
    assert person.user.password not in text and "argon2" not in text and "md5$" not in text
    assert "127.0.0.1" not in text  # not the addresses of the failed sign-in, nor of sessions


def test_the_download_costs_the_same_queries_however_much_there_is(
    person, world, django_assert_max_num_queries
):
    person.phone.get("/akun/data.json", kelola=True)
    with django_assert_max_num_queries(30) as few:
        download(person.phone)
    for n in range(5):
        post = make_post(world.kim_b, author=person.user, title=f"Kabar {n}", status="published")
        PostRevision.objects.create(
            community=world.kim_b, post=post, author=person.user, kind="berita", title=f"R{n}"
        )
        Invitation.objects.create(
            community=world.kim_b, email=EMAIL, role="editor", token_hash=secrets.token_hex(32),
            expires_at=timezone.now() + timedelta(days=7),
        )  # fmt: skip
    with django_assert_max_num_queries(30) as many:
        download(person.phone)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_only_the_person_may_export_their_data(person, world):
    with pytest.raises(PermissionError):
        personal_data.personal_data_export(actor=world.a_admin, user=person.user)
    anonymous = HostClient().get("/akun/data.json", kelola=True)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
    assert person.phone.post("/akun/data.json", kelola=True).status_code == 405
    # Someone else's download is their own, whatever they try.
    other = HostClient()
    other.force_login(world.a_admin)
    response = other.get("/akun/data.json", kelola=True)
    text = response.content.decode()
    assert EMAIL not in text and NAME not in text and PHONE not in text
    assert json.loads(text)["akun"]["email"] == "a-admin@example.id"
