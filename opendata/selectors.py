"""Reads of the open data and the read API: only public rows, only public columns.

Every row is built here as a plain dict with the columns of opendata.columns (downloads) or the
fields of opendata.schemas (API), from querysets that never load a contact column.
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from aspirations.models import Aspirasi
from communities.models import Community, Member
from communities.selectors import directory
from kimportal.lib.hosts import SiteKind
from kimportal.lib.keyset import Keyset
from kimportal.lib.links import portal_url, site_url, subsite_url
from opendata.columns import KIM
from posts.models import Post
from regions.models import District, Province, Regency, Village
from siaran.models import Siaran
from stats.models import Level, RegionSummary

# Rows read per query when streaming the KIM directory: memory stays constant at any size.
BATCH_SIZE = 1000


class InvalidCursor(ValueError):
    """A `cursor` the API did not hand out."""


# --- The KIM directory -----------------------------------------------------------------------


# What the KIM rows read (never the KIM's phone, email, applicant or SK).
_KIM_FIELDS = (
    "id",
    "nomor_induk",
    "name",
    "kind",
    "slug",
    "status",
    "verified_at",
    "focus_sectors",
    "province__code",
    "province__name",
    "regency__code",
    "regency__name",
    "district__code",
    "district__name",
    "village__code",
    "village__name",
)
_KIM_RELATED = ("province", "regency", "district", "village")


def _live_kims() -> QuerySet[Community]:
    return Community.objects.live().select_related(*_KIM_RELATED).only(*_KIM_FIELDS)


def _member_counts(community_ids: list[int]) -> dict[int, int]:
    rows = (
        Member.objects.filter(community_id__in=community_ids)
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    return dict(rows)


def _code_and_name(region) -> tuple[str, str]:
    return (region.code, region.name) if region is not None else ("", "")


def kim_rows(communities: list[Community]) -> list[dict]:
    """The KIM data set's rows (opendata.columns.KIM) of these KIMs; one query for the members."""
    members = _member_counts([c.pk for c in communities])
    rows = []
    for c in communities:
        province, regency = _code_and_name(c.province), _code_and_name(c.regency)
        district, village = _code_and_name(c.district), _code_and_name(c.village)
        verified = timezone.localtime(c.verified_at).date().isoformat() if c.verified_at else ""
        values = (
            c.pk,
            c.nomor_induk or "",
            c.name,
            c.kind,
            c.slug or "",
            site_url(SiteKind.COMMUNITY, "/", slug=c.slug) if c.slug else "",
            *province,
            *regency,
            *district,
            *village,
            c.status,
            verified,
            list(c.focus_sectors or []),
            members.get(c.pk, 0),
        )
        rows.append(dict(zip(KIM.names, values, strict=True)))
    return rows


def kim_directory_batches(*, batch_size: int | None = None) -> Iterator[list[dict]]:
    """Every verified KIM in batches, by id (keyset): two queries per batch, constant memory."""
    size = batch_size or BATCH_SIZE
    last_pk = 0
    while True:
        batch = list(_live_kims().filter(pk__gt=last_pk).order_by("pk")[:size])
        if not batch:
            return
        yield kim_rows(batch)
        if len(batch) < size:
            return
        last_pk = batch[-1].pk


# --- Statistics per region -------------------------------------------------------------------
# Read from the summary tables of the statistics app (stats.services.summaries_refresh: live
# KIMs, villages with a live KIM, public posts), refreshed by beat; one query at any size.


def region_stats(level: str) -> list[dict]:
    """One row per province (`level` "province") or regency ("regency"), in code order, as of
    the last refresh of the summaries (no row before the first one)."""
    if level not in ("province", "regency"):
        raise ValueError(level)
    rows = (
        RegionSummary.objects.filter(level=Level.PROVINCE if level == "province" else Level.REGENCY)
        .order_by("code")
        .values_list(
            "code",
            "province_id",
            "province__name",
            "regency__name",
            "kims_verified",
            "villages",
            "villages_with_kim",
            "posts_public",
        )
    )
    result = []
    for code, province_id, province_name, regency_name, kims, total, covered, posts in rows:
        region = {"kode_provinsi": province_id or "", "nama_provinsi": province_name or ""}
        if level == "regency":
            region.update(kode_kabupaten=code, nama_kabupaten=regency_name or "")
        result.append(
            {
                **region,
                "jumlah_kim": kims,
                "jumlah_desa": total,
                "desa_dengan_kim": covered,
                "cakupan_per_100_desa": round(100 * covered / total, 1) if total else 0.0,
                "jumlah_kabar": posts,
            }
        )
    return result


# --- The read API ----------------------------------------------------------------------------

KIM_KEYSET = Keyset("name")
POST_KEYSET = Keyset("published_at", descending=True, kind=datetime)
SIARAN_KEYSET = Keyset("inbox_at", descending=True, kind=datetime)
ASPIRASI_KEYSET = Keyset("created_at", descending=True, kind=datetime)


def keyset_slice(queryset: QuerySet, keyset: Keyset, *, cursor: str, limit: int):
    """(rows, cursor of the next page or "") of `queryset` after `cursor`: one query."""
    if cursor:
        position = keyset.decode(cursor)
        if position is None:
            raise InvalidCursor(cursor)
        queryset = queryset.filter(keyset.beyond(*position))
    rows = list(queryset.order_by(*keyset.ordering())[: limit + 1])
    next_cursor = keyset.encode(rows[limit - 1]) if len(rows) > limit else ""
    return rows[:limit], next_cursor


def api_kims(*, province: str, regency: str, query: str, cursor: str, limit: int):
    queryset = directory(province_code=province, regency_code=regency, query=query)
    communities, next_cursor = keyset_slice(
        queryset.select_related(*_KIM_RELATED).only(*_KIM_FIELDS),
        KIM_KEYSET,
        cursor=cursor,
        limit=limit,
    )
    return kim_rows(communities), next_cursor


def api_posts(
    *,
    community_id: int | None,
    kind: str,
    province: str,
    regency: str,
    since,
    cursor: str,
    limit: int,
):
    queryset = (
        Post.objects.public()
        .select_related("community")
        .only(
            "id",
            "title",
            "slug",
            "summary",
            "kind",
            "tags",
            "published_at",
            "province_id",
            "regency_id",
            "community__id",
            "community__slug",
            "community__name",
        )
    )
    if community_id is not None:
        queryset = queryset.filter(community_id=community_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if regency:
        queryset = queryset.filter(regency_id=regency)
    elif province:
        queryset = queryset.filter(province_id=province)
    if since is not None:
        queryset = queryset.filter(published_at__gte=since)
    posts, next_cursor = keyset_slice(queryset, POST_KEYSET, cursor=cursor, limit=limit)
    rows = [
        {
            "id": p.pk,
            "judul": p.title,
            "ringkasan": p.summary,
            "jenis": p.kind,
            "tag": list(p.tags or []),
            "tayang": p.published_at,
            "url": subsite_url(p.community.slug, "kabar:detail", p.slug),
            "kim_id": p.community_id,
            "kim_nama": p.community.name,
            "kode_provinsi": p.province_id or "",
            "kode_kabupaten": p.regency_id or "",
        }
        for p in posts
    ]
    return rows, next_cursor


def api_siaran(*, current_only: bool, cursor: str, limit: int):
    queryset = Siaran.objects.current() if current_only else Siaran.objects.published()
    queryset = (
        queryset.filter(inbox_at__isnull=False)
        .only(
            "id",
            "title",
            "slug",
            "office_name",
            "body",
            "links",
            "valid_from",
            "valid_until",
            "national",
            "published_at",
            "inbox_at",
        )
        .prefetch_related("provinces", "regencies")
    )
    items, next_cursor = keyset_slice(queryset, SIARAN_KEYSET, cursor=cursor, limit=limit)
    rows = [
        {
            "id": s.pk,
            "judul": s.title,
            "instansi": s.office_name,
            "isi": s.body,
            "tautan": s.link_list,
            "berlaku_mulai": s.valid_from,
            "berlaku_sampai": s.valid_until,
            "nasional": s.national,
            "kode_provinsi": sorted(p.code for p in s.provinces.all()),
            "kode_kabupaten": sorted(r.code for r in s.regencies.all()),
            "terbit": s.published_at,
            "url": portal_url("siaran:detail", s.pk, s.slug),
        }
        for s in items
    ]
    return rows, next_cursor


def api_aspirations(
    *, community_id: int | None, topic: str, province: str, regency: str, cursor: str, limit: int
):
    # Never the contact columns, the tracking code's hash or the sender's keys: not even loaded.
    queryset = (
        Aspirasi.objects.listed()
        .select_related("community", "regency")
        .only(
            "id",
            "topic",
            "text",
            "status",
            "answer",
            "answered_at",
            "created_at",
            "province_id",
            "village_id",
            "community__id",
            "community__name",
            "regency__code",
            "regency__name",
        )
    )
    if community_id is not None:
        queryset = queryset.filter(community_id=community_id)
    elif regency:
        queryset = queryset.filter(regency_id=regency)
    elif province:
        queryset = queryset.filter(province_id=province)
    if topic:
        queryset = queryset.filter(topic=topic)
    items, next_cursor = keyset_slice(queryset, ASPIRASI_KEYSET, cursor=cursor, limit=limit)
    answered = Aspirasi.Status.ANSWERED
    rows = [
        {
            "nomor": a.pk,
            "topik": a.topic,
            "isi": a.text,
            "status": a.status,
            # As the public page: the answer shows while the aspirasi stands answered.
            "tanggapan": a.answer if a.status == answered else "",
            "ditanggapi_pada": a.answered_at if a.status == answered else None,
            "dikirim": a.created_at,
            "kim_id": a.community_id,
            "kim_nama": a.community.name if a.community_id else "",
            "kode_provinsi": a.province_id,
            "kode_kabupaten": a.regency.code,
            "nama_kabupaten": a.regency.name,
            "kode_desa": a.village_id or "",
            "url": portal_url("aspirasi:detail", a.pk),
        }
        for a in items
    ]
    return rows, next_cursor


def region_children(level: str, parent_code: str | None) -> list[dict] | None:
    """The provinces, or the children of one region; None when the parent does not exist."""
    if level == "province":
        rows = Province.objects.order_by("code").values_list("code", "name")
        return [{"kode": code, "nama": name} for code, name in rows]
    parents = {"regency": Province, "district": Regency, "village": District}
    parent_model = parents[level]
    parent_field = {"regency": "province_id", "district": "regency_id", "village": "district_id"}
    child_model = {"regency": Regency, "district": District, "village": Village}[level]
    # One query: the children, or (when there are none) whether the parent exists at all.
    rows = list(
        child_model.objects.filter(**{parent_field[level]: parent_code})
        .order_by("code")
        .values_list("code", "name")
    )
    if not rows and not parent_model.objects.filter(code=parent_code).exists():
        return None
    return [{"kode": code, "nama": name} for code, name in rows]
