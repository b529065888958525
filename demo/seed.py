"""Demo data for `make run`: KIMs on real village codes, their people, and Diskominfo staff.

Everything is written through the services a real sign-up uses (draft → village → name → SK →
roster → submit → verify → profile; roles by invitation; staff scopes by the national admin), so
the demo shows what the code really produces. The Forum KIM has no sign-up flow yet and is written
directly. Idempotent: what already exists (by email, by subdomain) is left alone.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from accounts.services import staff_scope_add
from aspirations.models import Aspirasi
from communities import permissions, services
from communities.models import Community, Member, Role, VerificationEvent
from communities.validation import slug_is_taken
from demo.aspirations import seed_aspirations
from demo.data import (
    FORUM,
    FORUM_REGENCY,
    KIMS,
    NATIONAL_ADMIN,
    PHOTO_SIZE,
    POSTS,
    PROVINCE_ADMINS,
    REGENCY_ADMINS,
    TRUSTED_KIMS,
    DemoKim,
    DemoPost,
    demo_email,
)
from demo.files import demo_photo, sk_pdf
from demo.siaran import seed_siaran
from kimportal.lib.links import kelola_url, portal_url, subsite_url
from posts import images as post_images
from posts import services as post_services
from posts.models import Post
from posts.services import PostData
from regions.models import Province, Regency, Village
from stats.services import summaries_refresh

# Printed by `make run` and written in the README: good for a laptop, never for a public server
# (the seed_demo command refuses it with DEBUG off).
PUBLISHED_PASSWORD = "kimdemo2026"  # noqa: S105 - published demo credentials


class RegionsMissing(Exception):
    """The region tree (load_regions) is not loaded, or lacks a code the demo uses."""


@dataclass
class SeedReport:
    users_created: list[str] = field(default_factory=list)
    communities_created: list[str] = field(default_factory=list)
    posts_created: list[str] = field(default_factory=list)
    siaran_created: list[str] = field(default_factory=list)
    aspirations_created: list[int] = field(default_factory=list)
    # The tracking code of one answered demo aspirasi, to try the tracking page with (codes are
    # shown once and stored only as a keyed hash, so this is the only moment it can be told).
    sample_tracking_code: str = ""
    # Existing demo accounts that still took the published password and were given the new one.
    passwords_changed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.users_created
            or self.communities_created
            or self.posts_created
            or self.siaran_created
            or self.aspirations_created
            or self.passwords_changed
        )


@dataclass(frozen=True)
class Credential:
    email: str
    role: str


# --- Helpers ---------------------------------------------------------------------------------


def _require_regions() -> None:
    villages = [k.village for k in KIMS]
    regencies = [FORUM_REGENCY, *(code for _l, _n, code in REGENCY_ADMINS)]
    provinces = [code for _l, _n, code in PROVINCE_ADMINS]
    found = (
        Village.objects.filter(code__in=villages).count(),
        Regency.objects.filter(code__in=regencies).count(),
        Province.objects.filter(code__in=provinces).count(),
    )
    if found != (len(set(villages)), len(set(regencies)), len(set(provinces))):
        raise RegionsMissing(
            _(
                "Data wilayah belum dimuat (atau belum lengkap). "
                "Jalankan dulu: python manage.py load_regions"
            )
        )


def _user(local: str, full_name: str, report: SeedReport, *, password: str) -> User:
    email = demo_email(local)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, full_name=full_name)
        report.users_created.append(email)
    return user


def _phone(index: int, seed: int) -> str:
    return f"0812-{3000 + seed:04d}-{1000 + index * 7:04d}"


def _profile(spec: DemoKim) -> dict:
    return {
        "tagline": spec.tagline,
        "about": spec.about,
        "vision": spec.vision,
        "mission": spec.mission,
        "focus_sectors": list(spec.sectors),
        "brand_colour": spec.colour,
        "whatsapp": spec.whatsapp,
        "email": demo_email(spec.slug.replace("-", ".")),
        "facebook": f"https://www.facebook.com/{spec.handle}",
        "instagram": f"https://www.instagram.com/{spec.handle}",
        "youtube": f"https://www.youtube.com/@{spec.handle}",
    }


def _link_member(community: Community, member_name: str, user: User) -> None:
    Member.objects.filter(community=community, name=member_name, user=None).update(user=user)


# --- The seeding -----------------------------------------------------------------------------


def _seed_staff(report: SeedReport, *, password: str) -> User:
    local, full_name = NATIONAL_ADMIN
    national = _user(local, full_name, report, password=password)
    # The first national admin cannot be appointed by another one: written directly.
    StaffScope.objects.get_or_create(user=national, level=StaffScope.Level.NATIONAL)
    permissions.forget(national)
    for local, full_name, code in PROVINCE_ADMINS:
        user = _user(local, full_name, report, password=password)
        if not StaffScope.objects.filter(user=user, province_id=code).exists():
            staff_scope_add(
                actor=national,
                email=user.email,
                level=StaffScope.Level.PROVINCE,
                province=Province.objects.get(code=code),
            )
    for local, full_name, code in REGENCY_ADMINS:
        user = _user(local, full_name, report, password=password)
        if not StaffScope.objects.filter(user=user, regency_id=code).exists():
            staff_scope_add(
                actor=national,
                email=user.email,
                level=StaffScope.Level.REGENCY,
                regency=Regency.objects.get(code=code),
            )
    return national


def _seed_kim(
    spec: DemoKim, *, national: User, index: int, report: SeedReport, password: str
) -> None:
    if slug_is_taken(spec.slug):
        return
    ketua = spec.roster[0].name
    applicant = _user(spec.admin, ketua, report, password=password)
    community = services.community_draft_start(applicant=applicant)
    services.community_set_village(
        community=community, village=Village.objects.get(code=spec.village)
    )
    services.community_set_identity(
        community=community, name=spec.name, slug=spec.slug, street_address=spec.street
    )
    days = spec.verified_days_ago if spec.verified_days_ago is not None else 3
    decree_date = timezone.localdate() - timedelta(days=days + 30)
    number = f"140/{12 + index:02d}/{spec.village[:5]}/{decree_date.year}"
    services.community_set_decree(
        community=community,
        number=number,
        decree_date=decree_date,
        file=SimpleUploadedFile(
            "sk.pdf",
            sk_pdf(_decree_lines(spec, number, decree_date)),
            content_type="application/pdf",
        ),
    )
    services.community_set_roster(
        community=community,
        members=[
            services.MemberData(
                name=p.name, position=p.position, position_detail=p.detail, phone=_phone(i, index)
            )
            for i, p in enumerate(spec.roster)
        ],
    )
    _link_member(community, ketua, applicant)
    services.community_submit(community=community, actor=applicant)
    report.communities_created.append(spec.slug)
    if spec.verified_days_ago is None:
        return
    services.community_verify(community=community, actor=national)
    permissions.forget(applicant)
    services.community_update_profile(community=community, actor=applicant, **_profile(spec))
    for local, member_name, role in spec.invited:
        user = _user(local, member_name, report, password=password)
        _, token = services.invitation_create(
            community=community, actor=applicant, email=user.email, role=role
        )
        services.invitation_accept(token=token, user=user)
        _link_member(community, member_name, user)
    # Spread the dates so that "newest KIMs" and the profile pages look lived-in.
    verified_at = timezone.now() - timedelta(days=spec.verified_days_ago)
    community.submitted_at = verified_at - timedelta(days=4)
    community.verified_at = verified_at
    community.save(update_fields=["submitted_at", "verified_at", "updated_at"])


def _decree_lines(spec: DemoKim, number: str, decree_date: date) -> list[str]:
    village = Village.objects.select_related("district__regency").get(code=spec.village)
    head = "LURAH" if village.kind == Village.Kind.KELURAHAN else "KEPALA DESA"
    return [
        f"{head} {village.name.upper()}",
        f"{village.district.regency.name.upper()}",
        "",
        "KEPUTUSAN",
        f"NOMOR {number}",
        "TENTANG PEMBENTUKAN KELOMPOK INFORMASI MASYARAKAT",
        spec.name.upper(),
        "",
        f"Ditetapkan di {village.name} pada tanggal {decree_date:%d-%m-%Y}",
        "(dokumen contoh untuk data demo kim.id)",
    ]


def _seed_forum(spec: DemoKim, *, national: User, report: SeedReport) -> None:
    if slug_is_taken(spec.slug):
        return
    regency = Regency.objects.select_related("province").get(code=FORUM_REGENCY)
    verified_at = timezone.now() - timedelta(days=spec.verified_days_ago or 0)
    community = Community(
        kind=Community.Kind.FORUM_REGENCY,
        name=spec.name,
        slug=spec.slug,
        status=Community.Status.VERIFIED,
        regency=regency,
        province=regency.province,
        street_address=spec.street,
        submitted_at=verified_at - timedelta(days=4),
        verified_at=verified_at,
        **_profile(spec),
    )
    community.full_clean(exclude=["sk_file", "applicant"])
    community.save()
    Member.objects.bulk_create(
        Member(
            community=community,
            name=p.name,
            position=p.position,
            position_detail=p.detail,
            phone=_phone(i, 99),
            sort_order=i,
        )
        for i, p in enumerate(spec.roster)
    )
    VerificationEvent.objects.create(
        community=community, action=VerificationEvent.Action.VERIFIED, actor=national
    )
    report.communities_created.append(spec.slug)


def _post_data(spec: DemoPost) -> PostData:
    event_date = (
        timezone.localdate() + timedelta(days=spec.event_in_days)
        if spec.event_in_days is not None
        else None
    )
    return PostData(
        kind=spec.kind,
        title=spec.title,
        summary=spec.summary,
        body=spec.body,
        tags=list(spec.tags),
        price=Decimal(spec.price) if spec.price is not None else None,
        order_whatsapp=spec.order_whatsapp,
        umkm_category=spec.umkm_category,
        claim=spec.claim,
        verdict=spec.verdict,
        sources=spec.sources,
        event_date=event_date,
        event_time=spec.event_time,
        event_place=spec.event_place,
    )


def _regency_admin(community: Community) -> User:
    local = next(local for local, _n, code in REGENCY_ADMINS if code == community.regency_id)
    return User.objects.get(email=demo_email(local))


def _seed_post(spec: DemoPost, *, national: User, index: int, report: SeedReport) -> None:
    """Write, illustrate and send one post the way a KIM member does, then decide it."""
    community = Community.objects.live().filter(slug=spec.kim).first()
    if community is None or Post.objects.for_community(community).filter(title=spec.title).exists():
        return
    if spec.kim in TRUSTED_KIMS and not community.is_trusted:
        services.community_set_trusted(community=community, actor=national, trusted=True)
    # Fresh rows: roles and scopes are cached on user objects for the length of a request.
    author = User.objects.get(email=demo_email(spec.author))
    post = post_services.post_create(community=community, author=author, data=_post_data(spec))
    for number, photo in enumerate(spec.photos):
        width, height = PHOTO_SIZE[::-1] if photo.portrait else PHOTO_SIZE
        image = post_images.image_add(
            post=post,
            file=SimpleUploadedFile(
                f"foto-{number + 1}.jpg",
                demo_photo(width, height, seed=index * 10 + number),
                content_type="image/jpeg",
            ),
            caption=photo.caption,
            alt_text=photo.alt,
        )
        # Renditions now, so that the demo is complete without a worker; the task queued on
        # commit finds the photo done and skips it.
        post_images.image_process(image_id=image.pk)
    post_services.post_submit(post=post, actor=author)
    # The automatic checks as the worker would run them; they publish at once where an editor
    # of a trusted KIM sent the post.
    direct = post_services.can_publish_directly(author, community)
    post_services.post_run_checks(post_id=post.pk, publish_if_clean=direct)
    post.refresh_from_db()
    moderator = _regency_admin(community)
    if spec.outcome == "published" and post.status == Post.Status.SUBMITTED:
        post_services.post_approve(post=post, actor=moderator)
    elif spec.outcome == "rejected":
        post_services.post_reject(post=post, actor=moderator, reason=spec.reject_reason)
    # Spread the dates so that lists look lived-in.
    moment = timezone.now() - timedelta(days=spec.days_ago)
    if spec.outcome == "published":
        Post.objects.filter(pk=post.pk).update(published_at=moment, submitted_at=moment)
    else:
        Post.objects.filter(pk=post.pk).update(submitted_at=moment)
    report.posts_created.append(f"{spec.kim}/{post.slug}")


@contextmanager
def _no_demo_mail() -> Iterator[None]:
    """Demo addresses get no email, and the in-process task runs do not flood the console.

    The services' notifications run on commit, inside this block, when tasks run in-process (as in
    development); with a real broker they are queued like any other mail. The command is one
    short-lived process, so swapping the backend for its duration touches no one else (and keeps
    django.test out of this module).
    """
    trace = logging.getLogger("celery.app.trace")
    level, backend = trace.level, settings.EMAIL_BACKEND
    trace.setLevel(logging.WARNING)
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = backend
        trace.setLevel(level)


def seed_demo(*, password: str = PUBLISHED_PASSWORD) -> SeedReport:
    """Create whatever part of the demo data is missing; raise RegionsMissing without regions.

    New demo accounts get `password`; whether it may be the published one is the caller's call
    (the command refuses it in production).
    """
    _require_regions()
    report = SeedReport()
    with _no_demo_mail(), transaction.atomic():
        national = _seed_staff(report, password=password)
        for index, spec in enumerate(KIMS):
            _seed_kim(spec, national=national, index=index, report=report, password=password)
        _seed_forum(FORUM, national=national, report=report)
        for index, spec in enumerate(POSTS):
            _seed_post(spec, national=national, index=index, report=report)
        report.siaran_created = seed_siaran()
        codes = seed_aspirations()
        report.aspirations_created = sorted(codes)
        answered = Aspirasi.objects.filter(
            pk__in=codes, status=Aspirasi.Status.ANSWERED, is_public=True
        )
        report.sample_tracking_code = next(
            (codes[pk] for pk in answered.order_by("pk").values_list("pk", flat=True)), ""
        )
        if password != PUBLISHED_PASSWORD:
            _close_published_password(password=password, report=report)
    summaries_refresh()  # the statistics pages show figures at once (beat refreshes them later)
    return report


def _close_published_password(*, password: str, report: SeedReport) -> None:
    """A database seeded once with the published password, then seeded with a private one, must
    not keep any demo account open: every one that still takes the published password gets the
    private one (the seeding above leaves existing accounts and KIMs alone)."""
    emails = [credential.email for credential in credentials()]
    for user in User.objects.filter(email__in=emails).order_by("email"):
        if user.check_password(PUBLISHED_PASSWORD):
            user.set_password(password)
            user.save(update_fields=["password"])
            report.passwords_changed.append(user.email)


# --- What to tell the person who ran it ------------------------------------------------------


def credentials() -> list[Credential]:
    """Every demo account and what it may do, in the order the table shows them."""
    rows = [Credential(demo_email(NATIONAL_ADMIN[0]), _("Admin nasional (Kemkomdigi)"))]
    rows += [
        Credential(demo_email(local), _("Admin provinsi: %(name)s") % {"name": name})
        for local, name, _code in PROVINCE_ADMINS
    ]
    rows += [
        Credential(demo_email(local), _("Admin kabupaten/kota: %(name)s") % {"name": name})
        for local, name, _code in REGENCY_ADMINS
    ]
    for spec in KIMS:
        if spec.verified_days_ago is None:
            role = _("Pendaftar %(kim)s (menunggu verifikasi)") % {"kim": spec.name}
        else:
            role = _("Admin KIM: %(kim)s") % {"kim": spec.name}
        rows.append(Credential(demo_email(spec.admin), role))
        labels = {Role.Kind.EDITOR: _("Editor KIM"), Role.Kind.CONTRIBUTOR: _("Kontributor KIM")}
        rows += [
            Credential(demo_email(local), f"{labels[role]}: {spec.name}")
            for local, _member, role in spec.invited
        ]
    return rows


def subsites() -> list[tuple[str, str]]:
    """(name, subsite URL or a note) of every demo KIM."""
    rows = []
    for spec in (*KIMS, FORUM):
        if spec.verified_days_ago is None:
            rows.append((spec.name, _("menunggu verifikasi: belum punya situs")))
        else:
            rows.append((spec.name, subsite_url(spec.slug, "subsite:home")))
    return rows


def sign_in_url() -> str:
    return kelola_url("accounts:login")


def tracking_url() -> str:
    return portal_url("aspirasi:track")
