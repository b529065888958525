"""A world with something of every kind the statistics count, and the direct counts to check
the summary tables against (plain ORM filters, written independently of stats.services)."""

import statistics
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from aspirations.models import Aspirasi, AspirasiEvent
from communities.models import Community, Member
from posts.models import Post
from regions.models import Village
from siaran.models import Relay, Siaran
from stats.models import PostVisitDay
from tests.aspirations.helpers import make_aspirasi
from tests.factories import make_community, make_post
from tests.siaran.helpers import make_siaran

VERIFIED = "verified"


def relay(siaran, community, post):
    return Relay.objects.create(
        siaran=siaran,
        community=community,
        post=post,
        province_id=community.province_id,
        regency_id=community.regency_id,
    )


def answered(community=None, regency=None, *, hours: float, event: bool = True, **fields):
    """An aspirasi received `hours` + 1 hours ago and answered `hours` after receipt."""
    now = timezone.now()
    created = now - timedelta(hours=hours + 1)
    aspirasi = make_aspirasi(
        community=community,
        regency=regency,
        status=fields.pop("status", "ditanggapi"),
        answer="Sudah ditindaklanjuti.",
        answered_at=now - timedelta(minutes=30),  # a later answer replaced the first one
        created_at=created,
        **fields,
    )
    if event:
        first = AspirasiEvent.objects.create(
            aspirasi=aspirasi,
            community=community,
            regency_id=aspirasi.regency_id,
            action="answered",
            is_public=True,
            public_text="Sudah ditindaklanjuti.",
        )
        AspirasiEvent.objects.filter(pk=first.pk).update(
            created_at=created + timedelta(hours=hours)
        )
    return aspirasi


def populate(w):
    """Grow the shared world: a third live KIM (Malang), a suspended one (Surabaya), posts of
    every kind and status over several months, siaran of every target and status, relays,
    aspirations in every state, visits and sign-ins."""
    r = w.regions
    now = timezone.now()
    w.kim_c = make_community(village=r.sumbersekar, slug="kim-sumbersekar", members=4)
    w.suspended = make_community(
        village=r.kapasari, slug="kim-kapasari-lama", status="suspended", members=7
    )
    # Posts: A has kegiatan, berita, hoaks (one of them 100 days old) and a relay; B an UMKM
    # product; C one berita four months ago. Nothing else counts.
    w.posts = [
        make_post(w.kim_a, title="Kerja bakti", status="published", kind="kegiatan"),
        make_post(w.kim_a, title="Posyandu", status="published", kind="kegiatan",
                  published_at=now - timedelta(days=40)),
        make_post(w.kim_a, title="Hoaks banjir", status="published", kind="hoaks",
                  published_at=now - timedelta(days=100)),
        make_post(w.kim_a, title="Hoaks vaksin", status="published", kind="hoaks"),
        make_post(w.kim_b, title="Keripik", status="published", kind="umkm"),
        make_post(w.kim_c, title="Panen", status="published", kind="berita",
                  published_at=now - timedelta(days=120)),
    ]  # fmt: skip
    make_post(w.kim_a, title="Draf", status="draft", kind="berita")
    make_post(w.kim_a, title="Diturunkan", status="taken_down", kind="hoaks",
              published_at=now - timedelta(days=2))  # fmt: skip
    make_post(w.kim_a, title="Tersembunyi", status="published", hidden_by_reports=True)
    make_post(w.kim_a, title="Besok", status="published", published_at=now + timedelta(days=1))
    make_post(w.kim_a, title="Terjadwal", status="scheduled", publish_at=now + timedelta(days=1))
    make_post(w.pending_a, title="Kabar KIM tertunda", status="published")
    make_post(w.suspended, title="Kabar KIM dibekukan", status="published", kind="hoaks")

    # Siaran: national; Jawa Timur and (again) Surabaya in one; Bandung; not yet in inboxes;
    # a draft and a withdrawn one.
    w.siaran_national = make_siaran(w.national_admin, title="Nasional", national=True)
    w.siaran_jatim = make_siaran(
        w.jatim_admin, title="Jatim", provinces=[r.jatim], regencies=[r.surabaya]
    )
    make_siaran(w.bandung_admin, title="Bandung", regencies=[r.bandung])
    make_siaran(w.national_admin, title="Nanti", national=True, inbox_at=now + timedelta(days=1))
    make_siaran(w.national_admin, title="Draf siaran", national=True, status="draft")
    w.siaran_withdrawn = make_siaran(
        w.national_admin, title="Ditarik", national=True, status="withdrawn"
    )
    relayed = make_post(w.kim_a, title="Teruskan nasional", status="published", kind="berita")
    w.posts.append(relayed)
    relay(w.siaran_national, w.kim_a, relayed)
    relay(w.siaran_jatim, w.kim_a, make_post(w.kim_a, title="Teruskan jatim", status="submitted"))
    relay(w.siaran_national, w.kim_b, make_post(w.kim_b, title="Teruskan B", status="draft"))
    old_relay = make_post(w.kim_c, title="Teruskan lama", status="published",
                          published_at=now - timedelta(days=95))  # fmt: skip
    w.posts.append(old_relay)
    r_old = relay(w.siaran_jatim, w.kim_c, old_relay)
    Relay.objects.filter(pk=r_old.pk).update(created_at=now - timedelta(days=95))
    relay(w.siaran_withdrawn, w.kim_b, make_post(w.kim_b, title="Teruskan ditarik",
                                                  status="published"))  # fmt: skip
    relay(w.siaran_national, w.kim_c, make_post(w.kim_c, title="Teruskan diturunkan",
                                                status="taken_down",
                                                published_at=now - timedelta(days=1)))  # fmt: skip

    # Aspirations: answered ones (4 h and 10 h; one closed after its answer; one without an
    # answer event), open, forwarded, to the regency, spam, withdrawn, to a pending KIM.
    answered(w.kim_a, hours=4)
    answered(w.kim_a, hours=10, status="ditutup")
    answered(regency=r.surabaya, hours=30)
    answered(w.kim_b, hours=2, event=False)
    make_aspirasi(community=w.kim_a, text="Menunggu")
    make_aspirasi(regency=r.malang, status="diteruskan", text="Diteruskan")
    make_aspirasi(community=w.kim_b, text="Spam", is_spam=True)
    make_aspirasi(community=w.kim_a, text="Ditarik", status="ditarik")
    make_aspirasi(community=w.pending_a, text="Ke KIM tertunda")
    answered(w.suspended, hours=1)

    # Visits: 250 recent and 1,000 long ago on A's first post; 99 on B's.
    today = timezone.localdate()
    PostVisitDay.objects.create(post=w.posts[0], community=w.kim_a, day=today, count=250)
    PostVisitDay.objects.create(
        post=w.posts[0], community=w.kim_a, day=today - timedelta(days=120), count=1000
    )
    PostVisitDay.objects.create(post=w.posts[4], community=w.kim_b, day=today, count=99)
    w.a_editor.last_login = now - timedelta(days=3)
    w.a_editor.save(update_fields=["last_login"])
    w.a_admin.last_login = now - timedelta(days=9)
    w.a_admin.save(update_fields=["last_login"])
    return w


# --- Direct counts ------------------------------------------------------------------------------


def area_filter(level: str, code: str, prefix: str = "") -> Q:
    if level == "nasional":
        return Q()
    field = "province_id" if level == "provinsi" else "regency_id"
    return Q(**{f"{prefix}{field}": code})


def live_kims(level: str, code: str):
    return Community.objects.filter(area_filter(level, code), status=VERIFIED)


def public_posts(level: str, code: str, now=None):
    now = now or timezone.now()
    return Post.objects.filter(
        area_filter(level, code, "community__"),
        status="published",
        hidden_by_reports=False,
        published_at__lte=now,
        community__status=VERIFIED,
    )


def received(level: str, code: str):
    return (
        Aspirasi.objects.filter(area_filter(level, code), is_spam=False)
        .exclude(status="ditarik")
        .filter(Q(community=None) | Q(community__status=VERIFIED))
    )


def direct_summary(level: str, code: str) -> dict:
    """Every figure of RegionSummary, counted the plain way."""
    now = timezone.now()
    kims = list(live_kims(level, code))
    villages = Village.objects.all()
    if level == "provinsi":
        villages = villages.filter(district__regency__province_id=code)
    elif level == "kabupaten":
        villages = villages.filter(district__regency_id=code)
    posts = public_posts(level, code, now)
    published_siaran = Siaran.objects.filter(status="published", inbox_at__lte=now)
    targets = 0
    for kim in kims:
        targets += (
            published_siaran.filter(
                Q(national=True) | Q(provinces=kim.province_id) | Q(regencies=kim.regency_id)
            )
            .distinct()
            .count()
        )
    relays = Relay.objects.filter(
        community__in=kims,
        siaran__status="published",
        post__in=posts,
    )
    answered_rows = received(level, code).filter(answered_at__isnull=False)
    hours = []
    for a in answered_rows:
        first = a.events.filter(action="answered", is_public=True).order_by("created_at").first()
        at = first.created_at if first else a.answered_at
        hours.append((at - a.created_at).total_seconds() / 3600)
    return {
        "kims_verified": len(kims),
        "kims_active_90d": sum(
            1
            for kim in kims
            if posts.filter(community=kim, published_at__gte=now - timedelta(days=90)).exists()
        ),
        "members": Member.objects.filter(community__in=kims).count(),
        "villages": villages.count(),
        "villages_with_kim": len({k.village_id for k in kims if k.village_id}),
        "posts_public": posts.count(),
        "posts_by_kind": {kind: posts.filter(kind=kind).count() for kind in Post.Kind.values},
        "hoax_published": posts.filter(kind="hoaks").count(),
        "siaran_targets": targets,
        "siaran_relays": relays.count(),
        "aspirations_received": received(level, code).count(),
        "aspirations_answered": answered_rows.count(),
        "answer_median_hours": round(statistics.median(hours), 2) if hours else None,
    }


SUMMARY_FIGURES = [
    "kims_verified", "kims_active_90d", "members", "villages", "villages_with_kim",
    "posts_public", "posts_by_kind", "hoax_published", "siaran_targets", "siaran_relays",
    "aspirations_received", "aspirations_answered", "answer_median_hours",
]  # fmt: skip


def figures(summary) -> dict:
    return {name: getattr(summary, name) for name in SUMMARY_FIGURES}
