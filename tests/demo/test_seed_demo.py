"""`manage.py seed_demo`: demo KIMs on real village codes, accounts and staff; idempotent.

Development only: with DEBUG off it refuses unless asked explicitly, and never with the published
password.
"""

import re
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, ManagementUtility, call_command

from accounts.models import StaffScope, User
from communities.models import Community, Member, Role, VerificationEvent
from communities.templatetags.theme import contrast_ratio, contrast_text
from demo import data, seed
from posts.models import Image, ModerationEvent, Post
from tests.factories import make_region_tree, make_user

pytestmark = pytest.mark.django_db

PRIVATE_PASSWORD = "Kunci-Demo-Staging-7391"  # noqa: S105 - a test value


@pytest.fixture(autouse=True)
def _development(settings, monkeypatch):
    """`make run` is development (pytest-django turns DEBUG off); no password in the env."""
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def run_seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Community, Member, Role, VerificationEvent, StaffScope, User, Post, Image,
            ModerationEvent,
        )
    }  # fmt: skip


def test_refuses_without_the_region_tree():
    with pytest.raises(CommandError, match="python manage.py load_regions"):
        run_seed()
    assert Community.objects.count() == 0 and User.objects.count() == 0


def test_refuses_with_only_part_of_the_region_tree():
    make_region_tree()  # a few test regions, not the demo's villages
    with pytest.raises(CommandError, match="Data wilayah belum dimuat"):
        run_seed()
    assert User.objects.count() == 0


@pytest.mark.slow
def test_seeds_the_real_region_tree_once(client, settings, monkeypatch):
    call_command("load_regions", stdout=StringIO())

    out = run_seed()
    assert f"Data demo dibuat: 8 KIM, 17 akun, {len(data.POSTS)} tulisan." in out
    assert "kimdemo2026" in out and "http://kelola.localhost:8000/masuk/" in out
    assert "admin.ketabang@demo.kim.id" in out and "http://kim-ketabang.localhost:8000/" in out

    live = list(Community.objects.live().select_related("village", "regency", "province"))
    kims = [c for c in live if not c.is_forum]
    assert len(kims) >= 6
    assert len({c.province_id for c in live}) >= 4
    for community in kims:
        # Real village codes, a nomor induk from the village code, a full profile.
        assert community.nomor_induk.startswith(community.village_id.replace(".", ""))
        assert community.tagline and community.about and community.vision and community.mission
        assert community.focus_sectors and community.whatsapp and community.instagram
        assert community.email.endswith("@demo.kim.id")
    for community in live:
        positions = list(community.members.values_list("position", flat=True))
        assert 10 <= len(positions) <= 14, community.slug
        assert positions.count("ketua") == 1 and "sekretaris" in positions
        assert "bendahara" in positions and "anggota" in positions and "seksi" in positions
        brand = community.brand_colour
        assert contrast_ratio(brand, contrast_text(brand)) >= 4.5, community.slug

    forum = Community.objects.get(slug="forum-kim-surabaya")
    assert forum.kind == "forum_regency" and forum.is_live
    assert forum.village_id is None and forum.district_id is None
    assert (forum.regency_id, forum.province_id) == ("35.78", "35")

    pending = Community.objects.get(status="pending")
    assert pending.village.name == "Olehsari"
    assert pending.sk_file.name.endswith(".pdf")
    with pending.sk_file.open("rb") as scan:
        assert scan.read(5) == b"%PDF-"
    # Through the private storage (a throwaway folder in tests, see conftest), never public.
    assert pending.sk_file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not pending.sk_file.path.startswith(str(settings.MEDIA_ROOT))

    first = Community.objects.get(slug="kim-ketabang")
    assert first.village.name == "Ketabang" and first.regency.name == "Kota Surabaya"
    roles = dict(first.roles.values_list("user__email", "role"))
    assert roles == {
        "admin.ketabang@demo.kim.id": "admin",
        "editor.ketabang@demo.kim.id": "editor",
        "kontributor.ketabang@demo.kim.id": "contributor",
    }
    assert first.members.get(position="ketua").user.email == "admin.ketabang@demo.kim.id"

    scopes = StaffScope.objects.all()
    assert scopes.filter(level="national").count() == 1
    assert scopes.get(level="province").province_id == "35"
    regency_scopes = set(scopes.filter(level="regency").values_list("regency_id", flat=True))
    assert {c.regency_id for c in live} <= regency_scopes

    check_demo_posts(client)

    # A second run creates nothing and says so.
    before = snapshot()
    again = run_seed()
    assert "tidak ada yang diubah" in again
    assert snapshot() == before

    # Every verified demo KIM has a working subsite; the pending one has none.
    for community in live:
        host = f"{community.slug}.localhost"
        for path in ("/", "/profil/", "/pengurus/", "/kontak/"):
            response = client.get(path, host=host)
            assert response.status_code == 200, (host, path)
        assert community.name in response.content.decode()
    assert client.get("/", host="kim-olehsari.localhost").status_code == 404

    # The portal shows them: the home page's newest six, the directory, the region pages.
    home = client.get("/").content.decode()
    assert home.count('<article class="kim-card"') == 6
    assert "Forum KIM Kota Surabaya" in home  # the newest
    directory = client.get("/kim/?provinsi=35").content.decode()
    assert "3 KIM ditemukan</h2>" in directory
    assert (
        "1 KIM terverifikasi"
        in client.get("/wilayah/bali/kabupaten-gianyar/ubud/").content.decode()
    )

    # Every demo account signs in with the shared password.
    for credential in seed.credentials():
        assert client.login(email=credential.email, password=seed.PUBLISHED_PASSWORD), credential
        client.logout()
    assert len(seed.credentials()) == User.objects.filter(email__endswith="@demo.kim.id").count()

    # Seeded again on a production server (DEBUG off), with the flag and a private password: it
    # runs, echoes no password, and no account keeps the published one.
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", PRIVATE_PASSWORD)
    out = run_seed("--allow-production")
    assert "Kata sandi 17 akun demo lama diganti dengan DEMO_PASSWORD." in out
    assert PRIVATE_PASSWORD not in out and seed.PUBLISHED_PASSWORD not in out
    assert snapshot() == before
    for credential in seed.credentials():
        user = User.objects.get(email=credential.email)
        assert user.check_password(PRIVATE_PASSWORD), credential
        assert not user.check_password(seed.PUBLISHED_PASSWORD), credential


def check_demo_posts(client) -> None:
    """Published posts of every kind from several KIMs, with processed photos; one post waits in
    the Surabaya queue, one was rejected with a reason; they show on the public pages. (Posts
    relayed from the demo siaran are checked in tests/siaran/test_demo.py.)"""
    own = Post.objects.filter(siaran_relay__isnull=True)
    public = own.public()
    assert set(public.values_list("kind", flat=True)) == set(Post.Kind.values)
    assert public.values("community").distinct().count() >= 3
    verdicts = set(public.filter(kind="hoaks").values_list("verdict", flat=True))
    assert verdicts == set(Post.Verdict.values)
    assert own.exclude(status__in=["published", "submitted", "rejected"]).count() == 0

    # Published through the services: the regency admin approved, or a trusted KIM's editor sent.
    kemiren = Community.objects.get(slug="kim-kemiren")
    assert kemiren.is_trusted
    for post in public.select_related("community"):
        actions = list(post.events.values_list("action", flat=True))
        assert actions[:2] == ["submitted", "checked"], post.title
        expected = "published" if post.community.is_trusted else "approved"
        assert expected in actions, (post.title, actions)
        assert post.body_html.startswith("<p>")
    approvals = ModerationEvent.objects.filter(action="approved").select_related("actor")
    assert {e.actor.email for e in approvals} >= {"diskominfo.surabaya@demo.kim.id"}

    waiting = own.get(status="submitted")
    assert waiting.regency_id == "35.78" and waiting.community.slug == "kim-ketabang"
    assert waiting.checks_done and waiting.checks["clean"]
    rejected = own.get(status="rejected")
    assert "iklan usaha pribadi" in rejected.decision_reason
    assert rejected.events.get(action="rejected").reason == rejected.decision_reason

    # Every photo processed, files in the public storage, different from one another.
    photos = list(Image.objects.filter(post__in=own))
    assert len(photos) >= 20 and all(p.status == "ready" for p in photos)
    assert any(p.height > p.width for p in photos) and any(p.width > p.height for p in photos)
    for photo in photos:
        assert sorted(photo.renditions, key=int)[-1] in ("1024", "1600")
        assert photo.alt_text and photo.caption
        assert default_storage.exists(photo.renditions["320"]["jpeg"])
    assert len({p.placeholder + str(p.renditions["320"]["height"]) for p in photos}) > 1
    sizes = {default_storage.size(p.renditions["640"]["jpeg"]) for p in photos}
    assert len(sizes) == len(photos)

    # The public pages show them.
    body = client.get("/kabar/", host="kim-ketabang.localhost").content.decode()
    assert "Kerja bakti bersihkan saluran RW 03" in body
    assert "Lomba kampung bersih" not in body and "Promo pulsa" not in body
    detail = client.get(
        "/kabar/sambal-bawang-bu-siti-oleh-oleh-pedas-dari-ketabang/",
        host="kim-ketabang.localhost",
    ).content.decode()
    assert "Rp 25.000" in detail and "https://wa.me/6281231704455?text=" in detail
    assert detail.count("<picture>") == 2
    home = client.get("/").content.decode()
    assert len(re.findall(r'<h3 class="post-card__title">', home)) == 8
    region = client.get("/wilayah/jawa-timur/").content.decode()
    assert "Kabar terbaru dari Jawa Timur" in region and "Kopi Kemiren" in region


# --- Production: DEBUG off ----------------------------------------------------------------------


def test_refuses_in_production_without_the_flag(settings, regions):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production") as refused:
        run_seed()
    assert "DEBUG mati" in str(refused.value)
    assert User.objects.count() == 0


def test_refuses_in_production_without_a_password(settings, regions):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        run_seed("--allow-production")
    assert User.objects.count() == 0


def test_refuses_the_published_password_in_production(settings, regions, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", seed.PUBLISHED_PASSWORD)
    with pytest.raises(CommandError, match="diumumkan di README"):
        run_seed("--allow-production")
    assert User.objects.count() == 0


def test_refuses_a_weak_password_in_production(settings, regions, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="terlalu lemah"):
        run_seed("--allow-production")
    assert User.objects.count() == 0


def test_refusal_is_a_non_zero_exit_with_the_reason(settings, regions, capsys):
    """What an operator sees from `manage.py seed_demo` on a production server."""
    settings.DEBUG = False
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "seed_demo"]).execute()
    assert exit_.value.code != 0
    assert "--allow-production" in capsys.readouterr().err


def test_new_accounts_get_the_given_password(regions):
    report = seed.SeedReport()
    user = seed._user("kemkomdigi", "Tim KIM Kemkomdigi", report, password=PRIVATE_PASSWORD)
    assert report.users_created == ["kemkomdigi@demo.kim.id"]
    assert user.check_password(PRIVATE_PASSWORD)
    assert not user.check_password(seed.PUBLISHED_PASSWORD)


def test_a_private_password_replaces_the_published_one_on_existing_accounts(regions):
    """A database seeded once in development keeps no account open when seeded for real."""
    old = make_user(email="kemkomdigi@demo.kim.id", password=seed.PUBLISHED_PASSWORD)
    own = make_user(email="editor.ketabang@demo.kim.id", password="sudah-diganti-sendiri")
    stranger = make_user(email="warga@example.id", password=seed.PUBLISHED_PASSWORD)
    report = seed.SeedReport()
    seed._close_published_password(password=PRIVATE_PASSWORD, report=report)
    assert report.passwords_changed == ["kemkomdigi@demo.kim.id"]
    for user in (old, own, stranger):
        user.refresh_from_db()
    assert old.check_password(PRIVATE_PASSWORD)
    assert not old.check_password(seed.PUBLISHED_PASSWORD)
    # A password someone chose, and accounts outside the demo, are not the demo's to change.
    assert own.check_password("sudah-diganti-sendiri")
    assert stranger.check_password(seed.PUBLISHED_PASSWORD)
