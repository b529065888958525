"""Reads of the staff dashboards on kelola (statistik/): the figures of an area a user covers.

The figures come from the summary tables (RegionSummary, RegionMonth, CommunityActivity), which a
beat task refreshes; only the queues staff work are read live, one aggregate query each (pending
verifications, the moderation queue, open aspirations), so a page costs the same number of
queries at 10 or 10,000 KIMs.

Every read takes an `Area` that `area_for_user` resolved from the user's staff scopes through
communities.permissions (the one place scopes become yes or no): a region outside them answers
404, exactly as a missing one, and every query filters on the area.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from aspirations.models import Aspirasi
from communities import permissions
from communities.models import Community
from kimportal.lib.csv_cells import Column, csv_table
from kimportal.lib.links import subsite_url
from kimportal.templatetags.formats import iso
from posts.models import NEEDS_ATTENTION, Post, PostRevision
from regions.models import Province, Regency
from stats.models import CommunityActivity, Level, RegionMonth, RegionSummary
from stats.services import ACTIVE_DAYS, months_window

NATIONAL_KEY = "ID"  # ?wilayah=ID: the whole country (national admins only)
PROVINCE_CODE = re.compile(r"\d{2}")
REGENCY_CODE = re.compile(r"\d{2}\.\d{2}")
# A KIM with no public post for this long is flagged "dorman" (the summaries' "active" window).
DORMANT_DAYS = ACTIVE_DAYS
PAGE_SIZE = 50
MAX_PAGES = 100  # past 5,000 rows the table asks for a filter (the CSV has every row)
MONTHS_SHOWN = 12


# --- The area -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """The nation, a province or a regency, named by its Kemendagri code ("" for the nation)."""

    level: str  # stats.models.Level
    code: str
    name: str

    @property
    def key(self) -> str:
        """Its value of ?wilayah=."""
        return self.code or NATIONAL_KEY

    @property
    def is_national(self) -> bool:
        return self.level == Level.NATIONAL

    def filter(self, prefix: str = "") -> Q:
        """Rows of this area, on a model (or relation, with `prefix`) that carries the
        denormalised province_id and regency_id."""
        if self.level == Level.NATIONAL:
            return Q()
        column = "province_id" if self.level == Level.PROVINCE else "regency_id"
        return Q(**{f"{prefix}{column}": self.code})


def _covers(user, *, province_id: str, regency_id: str | None = None) -> bool:
    # permissions.covers() reads a place's province_id and regency_id: a whole province is
    # covered by national and province scopes only, never by a regency scope inside it.
    return permissions.covers(user, SimpleNamespace(province_id=province_id, regency_id=regency_id))


def _widest_key(user) -> str:
    parts = permissions.scope_parts(user)
    if parts.national:
        return NATIONAL_KEY
    return min(parts.provinces) if parts.provinces else min(parts.regencies)


def area_for_user(user, key: str = "") -> Area:
    """The area `key` (?wilayah=) if the user's staff scopes cover all of it, else 404; an empty
    key is the user's widest area. Non-staff get 404 whatever they ask."""
    if not permissions.staff_scopes(user):
        raise Http404
    key = key or _widest_key(user)
    if key == NATIONAL_KEY:
        if not permissions.is_national_admin(user):
            raise Http404
        return Area(Level.NATIONAL, "", str(_("Seluruh Indonesia")))
    if PROVINCE_CODE.fullmatch(key):
        if not _covers(user, province_id=key):
            raise Http404
        province = Province.objects.filter(pk=key).values_list("name", flat=True).first()
        if province is None:
            raise Http404
        return Area(Level.PROVINCE, key, province)
    if REGENCY_CODE.fullmatch(key):
        regency = Regency.objects.filter(pk=key).values_list("name", "province_id").first()
        if regency is None or not _covers(user, province_id=regency[1], regency_id=key):
            raise Http404
        return Area(Level.REGENCY, key, regency[0])
    raise Http404


@dataclass
class AreaOptions:
    """What the filter form offers: the areas to pick (grouped) and the parts of the current area
    the table can be narrowed to (its provinces, or its regencies)."""

    areas: list = field(default_factory=list)  # ChoiceField choices, optgroups allowed
    parts: list[tuple[str, str]] = field(default_factory=list)
    part_param: str = ""  # ?provinsi= (in the nation) or ?kabupaten= (in a province)
    part_label: str = ""


def area_options(user, area: Area) -> AreaOptions:
    """At most three queries: the provinces (all, for national admins; else those of the
    scopes), the regencies of the scopes, and the regencies of the current province."""
    options = AreaOptions()
    if permissions.is_national_admin(user):
        provinces = list(Province.objects.order_by("name").values_list("code", "name"))
        options.areas = [(NATIONAL_KEY, _("Seluruh Indonesia")), (_("Provinsi"), provinces)]
    else:
        _national, province_ids, regency_ids = permissions.scope_parts(user)
        provinces = list(
            Province.objects.filter(pk__in=province_ids)
            .order_by("name")
            .values_list("code", "name")
        )
        if provinces:
            options.areas.append((_("Provinsi"), provinces))
        if regency_ids:
            regencies = Regency.objects.filter(pk__in=regency_ids).order_by("name")
            options.areas.append((_("Kabupaten/kota"), list(regencies.values_list("code", "name"))))
    if area.level == Level.NATIONAL:
        options.parts, options.part_param, options.part_label = provinces, "provinsi", _("Provinsi")
    elif area.level == Level.PROVINCE:
        regencies = Regency.objects.filter(province_id=area.code).order_by("name")
        options.parts = list(regencies.values_list("code", "name"))
        options.part_param, options.part_label = "kabupaten", _("Kabupaten/kota")
        label = _("Kabupaten/kota di %(name)s") % {"name": area.name}
        options.areas.append((label, options.parts))
    offered = {code for group in options.areas for code in choice_codes(group)}
    if area.key not in offered:  # a regency a national or province admin typed in the address
        options.areas.append((area.key, area.name))
    return options


def choice_codes(choice) -> list[str]:
    """The area codes of one choice of `AreaOptions.areas`, or of each choice in an optgroup."""
    value, label = choice
    return [code for code, _name in label] if isinstance(label, list) else [value]


# --- The figures ----------------------------------------------------------------------------------


def region_figures(area: Area) -> RegionSummary | None:
    return RegionSummary.objects.filter(level=area.level, code=area.code).first()


def region_months(area: Area, *, months: int = MONTHS_SHOWN) -> list[RegionMonth]:
    """Public posts per month over the last `months` months, oldest first."""
    start = months_window(timezone.now(), months)[0]
    return list(
        RegionMonth.objects.filter(level=area.level, code=area.code, month__gte=start).order_by(
            "month"
        )
    )


@dataclass(frozen=True)
class Queues:
    """Live: what waits for staff in the area, and since when."""

    verifications: int
    oldest_verification: datetime | None
    moderation: int  # submitted posts, published ones with open reports, pending revisions
    oldest_moderation: datetime | None
    aspirations: int
    oldest_aspiration: datetime | None


def _oldest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def queue_figures(area: Area) -> Queues:
    """Five queries, each on the partial or status index its queue already uses."""
    verifications = Community.objects.filter(
        area.filter(), status=Community.Status.PENDING
    ).aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    # Two queries rather than one with a filtered MIN: the count is an index-only scan of the
    # queue's partial index and the oldest is its first entry, where one aggregate would read
    # every queued row from the table (170 ms for 40,000 queued posts nationally, against 5 ms).
    attention = Post.objects.filter(area.filter()).filter(NEEDS_ATTENTION)
    posts = {
        "n": attention.count(),
        "oldest": attention.filter(status=Post.Status.SUBMITTED)
        .order_by(F("submitted_at").asc(nulls_first=True))
        .values_list("submitted_at", flat=True)
        .first(),
    }
    revisions = (
        PostRevision.objects.filter(area.filter("post__"))
        .pending()
        .aggregate(n=Count("pk"), oldest=Min("created_at"))
    )
    aspirations = (
        Aspirasi.objects.open()
        .filter(area.filter())
        .aggregate(n=Count("pk"), oldest=Min("created_at"))
    )
    return Queues(
        verifications=verifications["n"],
        oldest_verification=verifications["oldest"],
        moderation=posts["n"] + revisions["n"],
        oldest_moderation=_oldest(posts["oldest"], revisions["oldest"]),
        aspirations=aspirations["n"],
        oldest_aspiration=aspirations["oldest"],
    )


# --- The per-KIM table ----------------------------------------------------------------------------


# ?urut=<key> sorts ascending, ?urut=-<key> descending; anything else is the default.
SORTS: dict[str, tuple[str, ...]] = {
    "nama": ("community__name",),
    "anggota": ("members",),
    "kabar_terakhir": ("last_post_at",),
    "masuk_terakhir": ("last_login_at",),
    "kabar_90": ("posts_90d",),
    "terusan": ("relay_rate",),
    "aspirasi": ("aspirations_answered", "aspirations_received"),
}
DEFAULT_SORT = "nama"


def parse_sort(value: str) -> str:
    return value if value.lstrip("-") in SORTS and value.count("-") <= 1 else DEFAULT_SORT


# Columns that are never NULL: ordered without a NULLS clause, so that the default sort (by name)
# walks community_name_idx and stops after a page, instead of sorting every KIM of the nation.
_NOT_NULL = frozenset({"community__name", "community_id"})


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    columns = (*SORTS[sort.lstrip("-")], "community_id")
    if descending:  # the most first; rows without a value (never posted, no siaran) last
        return [F(c).desc() if c in _NOT_NULL else F(c).desc(nulls_last=True) for c in columns]
    return [F(c).asc() if c in _NOT_NULL else F(c).asc(nulls_first=True) for c in columns]


def dormant_cutoff() -> datetime:
    return timezone.now() - timedelta(days=DORMANT_DAYS)


# What the table and the CSV read: the activity row, and of its KIM and regency only the names
# (a KIM row also carries its profile texts, never needed here).
_ACTIVITY_COLUMNS = tuple(f.name for f in CommunityActivity._meta.concrete_fields)
_JOINED_COLUMNS = ("community__name", "community__slug", "community__nomor_induk", "regency__name")


def activity_rows(
    area: Area, *, part: str = "", dormant_only: bool = False, sort: str = DEFAULT_SORT
) -> QuerySet[CommunityActivity]:
    """The KIMs of the area with their activity, joined to their KIM and regency (one query).

    `part` narrows the area to one of its provinces or regencies (checked by the caller against
    `AreaOptions.parts`)."""
    dormant = Q(last_post_at__isnull=True) | Q(last_post_at__lt=dormant_cutoff())
    rows = (
        CommunityActivity.objects.filter(area.filter())
        .select_related("community", "regency")
        .only(*_ACTIVITY_COLUMNS, *_JOINED_COLUMNS)
        .annotate(
            relay_rate=Case(
                When(siaran_received=0, then=Value(None, output_field=FloatField())),
                default=Cast("siaran_relayed", FloatField())
                / Cast("siaran_received", FloatField()),
                output_field=FloatField(),
            ),
            is_dormant=Case(When(dormant, then=Value(True)), default=Value(False)),
        )
    )
    if part:
        rows = rows.filter(**{"regency_id" if "." in part else "province_id": part})
    if dormant_only:
        rows = rows.filter(dormant)
    return rows.order_by(*_ordering(parse_sort(sort)))


class CappedPaginator(Paginator):
    """Pages of the table, no more than MAX_PAGES of them: deep OFFSETs stay cheap and a staff
    member who needs more filters the table or downloads the CSV."""

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, MAX_PAGES)

    @property
    def is_capped(self) -> bool:
        return self.count > self.per_page * MAX_PAGES


# --- The CSV --------------------------------------------------------------------------------------


# Stable names: spreadsheets and scripts of Diskominfo offices read them. Add columns at the end;
# never rename or remove one (tests/stats/test_dashboard_csv.py lists them by hand). No column
# carries a person's name, an email address or a phone number.
CSV_COLUMNS: tuple[Column, ...] = (
    Column("id", _("Nomor KIM di kim.id."), lambda r: r.community_id),
    Column("nama", _("Nama KIM."), lambda r: r.community.name),
    Column("nomor_induk", _("Nomor induk KIM."), lambda r: r.community.nomor_induk),
    Column("kode_provinsi", _("Kode provinsi Kemendagri."), lambda r: r.province_id or ""),
    Column("kode_kabupaten", _("Kode kabupaten/kota Kemendagri."), lambda r: r.regency_id or ""),
    Column(
        "nama_kabupaten", _("Nama kabupaten/kota."), lambda r: r.regency.name if r.regency else ""
    ),
    Column("anggota", _("Jumlah anggota dalam daftar pengurus."), lambda r: r.members),
    Column("kabar_publik", _("Tulisan yang tayang."), lambda r: r.posts_public),
    Column("kabar_90_hari", _("Tulisan tayang dalam 90 hari terakhir."), lambda r: r.posts_90d),
    Column("kabar_terakhir", _("Waktu tulisan terakhir tayang."), lambda r: iso(r.last_post_at)),
    Column("masuk_terakhir", _("Waktu pengurus terakhir masuk."), lambda r: iso(r.last_login_at)),
    Column(
        "dorman",
        _("ya bila tidak ada tulisan tayang dalam 90 hari; selain itu tidak."),
        lambda r: "ya" if r.is_dormant else "tidak",
    ),
    Column("kunjungan_90_hari", _("Kunjungan ke tulisannya, 90 hari."), lambda r: r.visits_90d),
    Column("klarifikasi_hoaks", _("Klarifikasi hoaks yang tayang."), lambda r: r.hoax_published),
    Column("siaran_diterima", _("Siaran yang ditujukan ke KIM ini."), lambda r: r.siaran_received),
    Column("siaran_diteruskan", _("Siaran yang diteruskannya."), lambda r: r.siaran_relayed),
    Column("aspirasi_diterima", _("Aspirasi warga ke KIM ini."), lambda r: r.aspirations_received),
    Column(
        "aspirasi_ditanggapi",
        _("Aspirasi yang sudah ditanggapi."),
        lambda r: r.aspirations_answered,
    ),
    Column("skor_90_hari", _("Skor keaktifan 90 hari."), lambda r: r.score_90d),
    Column(
        "situs", _("Alamat situs KIM."), lambda r: subsite_url(r.community.slug, "subsite:home")
    ),
    Column("dihitung", _("Waktu angka ini dihitung."), lambda r: iso(r.computed_at)),
)


def activity_csv(rows: QuerySet[CommunityActivity]) -> Iterator[str]:
    """The rows as CSV lines, read in chunks on one cursor (constant memory, one query)."""
    return csv_table(CSV_COLUMNS, rows.iterator(chunk_size=1000))
