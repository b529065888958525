"""Demo siaran: a national, a province (Jawa Timur) and a regency (Kota Surabaya) siaran with
relays by demo KIMs (some published, one still a draft) and a few days of visits.

Called by demo/seed.py after the KIMs and posts exist (`seed_siaran()`), inside its transaction
and its no-mail block. Written through the services, as staff and KIM members would; idempotent
(a siaran that exists by title is left alone).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from communities.models import Community
from demo.data import demo_email
from demo.files import demo_photo
from posts import services as post_services
from posts.models import Post
from siaran import images as siaran_images
from siaran import services
from siaran.models import Siaran
from stats.models import PostVisitDay


@dataclass(frozen=True)
class DemoSiaran:
    author: str  # demo account (local part)
    office: str
    title: str
    body: str
    target: dict  # national / province_ids / regency_ids
    relays: tuple[tuple[str, str, str], ...]  # (KIM slug, member local part, "published"/"draft")
    links: str = ""


SIARAN = (
    DemoSiaran(
        author="kemkomdigi",
        office="Kementerian Komunikasi dan Digital",
        title="Waspada penipuan berkedok undian berhadiah",
        body=(
            "Beredar pesan berantai yang mengatasnamakan bank dan operator seluler, menjanjikan "
            "hadiah undian dengan syarat mengirim kode OTP.\n\n"
            "**Jangan pernah membagikan kode OTP** kepada siapa pun. Laporkan nomor penipu "
            "melalui aduannomor.id."
        ),
        target={"national": True},
        links="https://aduannomor.id/\nhttps://www.komdigi.go.id/",
        relays=(
            ("kim-ketabang", "editor.ketabang", "published"),
            ("kim-dago", "admin.dago", "published"),
            ("kim-kemiren", "admin.kemiren", "draft"),
        ),
    ),
    DemoSiaran(
        author="diskominfo.jatim",
        office="Diskominfo Provinsi Jawa Timur",
        title="Jadwal Bulan Imunisasi Anak Sekolah di Jawa Timur",
        body=(
            "Bulan Imunisasi Anak Sekolah (BIAS) berlangsung sepanjang bulan ini di seluruh "
            "sekolah dasar Jawa Timur. Orang tua diminta memastikan anak membawa buku KIA."
        ),
        target={"province_ids": {"35"}},
        relays=(("kim-kemiren", "admin.kemiren", "published"),),
    ),
    DemoSiaran(
        author="diskominfo.surabaya",
        office="Diskominfo Kota Surabaya",
        title="Pendaftaran pelatihan UMKM go digital Kota Surabaya",
        body=(
            "Pemerintah Kota Surabaya membuka pelatihan pemasaran daring bagi pelaku UMKM. "
            "Daftar melalui kelurahan masing-masing paling lambat akhir bulan."
        ),
        target={"regency_ids": {"35.78"}},
        relays=(("kim-ketabang", "kontributor.ketabang", "draft"),),
    ),
)


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def _regency_admin(community: Community) -> User | None:
    return (
        User.objects.filter(
            staff_scopes__level="regency", staff_scopes__regency_id=community.regency_id
        )
        .order_by("pk")
        .first()
    )


def _publish(post: Post, actor: User, community: Community) -> None:
    """Send the relayed draft through the normal flow and approve it as its regency admin."""
    post_services.post_submit(post=post, actor=actor)
    post_services.post_run_checks(post_id=post.pk, publish_if_clean=False)
    post.refresh_from_db()
    moderator = _regency_admin(community)
    if moderator is not None and post.status == Post.Status.SUBMITTED:
        post_services.post_approve(post=post, actor=moderator)


def seed_siaran(*, visit_days: int = 5) -> list[str]:
    """Create the missing demo siaran; returns the titles created. Needs the demo staff, KIMs and
    their members (demo/seed.py) to exist first."""
    created = []
    today = timezone.localdate()
    for index, spec in enumerate(SIARAN):
        if Siaran.objects.filter(title=spec.title).exists():
            continue
        author = _user(spec.author)
        siaran = services.siaran_create(
            actor=author,
            data=services.SiaranData(
                office_name=spec.office,
                title=spec.title,
                body=spec.body,
                links=spec.links,
                valid_until=timezone.now() + timedelta(days=30),
                **spec.target,
            ),
        )
        image = services.siaran_image_add(
            siaran=siaran,
            actor=author,
            file=SimpleUploadedFile(
                "siaran.jpg", demo_photo(1600, 1067, seed=900 + index), content_type="image/jpeg"
            ),
            alt_text=spec.title,
        )
        siaran_images.image_process(image_id=image.pk)  # complete without a worker
        services.siaran_publish(siaran=siaran, actor=author)
        for slug, member, outcome in spec.relays:
            community = Community.objects.live().filter(slug=slug).first()
            if community is None:
                continue
            actor = _user(member)
            relay, _created = services.siaran_relay(siaran=siaran, community=community, actor=actor)
            if outcome != "published":
                continue
            _publish(relay.post, actor, community)
            for days_ago in range(visit_days):
                PostVisitDay.objects.update_or_create(
                    post=relay.post,
                    day=today - timedelta(days=days_ago),
                    defaults={
                        "community": community,
                        "count": 40 + 13 * index + 7 * days_ago,
                    },
                )
        created.append(spec.title)
    return created
