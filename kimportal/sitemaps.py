"""Sitemaps: the portal's index of every public page, and each KIM subsite's own.

The portal's /sitemap.xml is a sitemap index of sections of at most SECTION_SIZE URLs (the
protocol's 50,000): its own pages, the region pages, every live KIM's home and every public post.
KIMs and posts are split by primary-key range (section n holds the rows with a pk in
((n - 1) × SECTION_SIZE, n × SECTION_SIZE]), so a section is read with one indexed range scan, never
with a deep OFFSET, and never holds more than SECTION_SIZE URLs. The index lists only the sections
that have public rows (one query for KIMs and one for posts, however many ranges); every URL in
a section carries its lastmod.

A subsite's /sitemap.xml lists its pages and its public posts; a KIM with more than fits in one
file gets an index of the same sections instead. Subsite URLs listed in the portal's sitemap are
valid because every subsite's robots.txt names the portal's index too (kimportal.views_robots).

The XML is written directly rather than through the template engine of Django's sitemap views,
which costs about 40 µs per URL (2 s for a full section); the Sitemap classes keep Django's
items/location/lastmod protocol.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from communities.models import Community
from kimportal.lib import page_cache
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import portal_url, site_url, subsite_url
from posts.models import Post
from regions.models import District, Province, Regency

# The protocol's limit of URLs per sitemap file (tests make it small to see the splitting).
SECTION_SIZE = 50_000
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
CONTENT_TYPE = "application/xml; charset=utf-8"

_SECTION_RE = re.compile(r"^(?P<kind>halaman|wilayah|kim|kabar)(?:-(?P<number>[1-9][0-9]{0,8}))?$")


# --- URLs built without a reverse() per row ------------------------------------------------------


def _url_template(build: Callable[..., str], *placeholders: str) -> str:
    """An absolute URL from `build(*placeholders)` as a str.format template of the placeholders.

    Slugs (of KIMs, posts and regions) are [a-z0-9-] only, so formatting them in gives what
    reverse() would: one reverse() per section instead of one per URL."""
    url = build(*placeholders).replace("{", "{{").replace("}", "}}")
    for index, placeholder in enumerate(placeholders):
        url = url.replace(placeholder, f"{{{index}}}")
    return url


def _post_url_template() -> str:
    return _url_template(lambda k, p: subsite_url(k, "kabar:detail", p), "xkimx", "xpostx")


def _kim_url_template() -> str:
    return _url_template(lambda k: subsite_url(k, "subsite:home"), "xkimx")


def _portal_url_template(viewname: str, *placeholders: str) -> str:
    return _url_template(lambda *args: portal_url(viewname, *args), *placeholders)


def _newest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def _range(number: int) -> tuple[int, int]:
    """The primary keys of section `number` (from 1), both ends included."""
    return (number - 1) * SECTION_SIZE + 1, number * SECTION_SIZE


def _section_of(field: str):
    """SQL: the section number of a row by an integer column (integer division)."""
    return (F(field) - 1) / SECTION_SIZE + 1


# --- Sections ------------------------------------------------------------------------------------


class Section(Sitemap):
    """One sitemap file. Items are (absolute URL, lastmod or None): the URLs span hosts."""

    def location(self, item) -> str:
        return item[0]

    def lastmod(self, item) -> datetime.datetime | None:
        return item[1]

    def get_urls(self, page=1, site=None, protocol=None, **kwargs) -> list[dict]:
        """Every URL of the section (one page: a section is its own page of the index)."""
        if str(page) != "1":
            raise EmptyPage
        urls = [
            {"location": self.location(item), "lastmod": self.lastmod(item)}
            for item in self.items(**kwargs)
        ]
        if len(urls) > SECTION_SIZE:  # pragma: no cover - every section is bounded by design
            raise AssertionError(f"{type(self).__name__} holds {len(urls)} URLs")
        return urls


class PortalPages(Section):
    def items(self) -> list[tuple[str, None]]:
        return [(portal_url(name), None) for name in ("home", "regions:index", "directory:index")]


def _region_paths() -> list[str]:
    """Every province, regency and district page: the region tree is fixed (38 + 514 + 7,285
    rows), so a section reads it whole and takes its slice."""
    province = _portal_url_template("regions:province", "xprovx")
    regency = _portal_url_template("regions:regency", "xprovx", "xregx")
    district = _portal_url_template("regions:district", "xprovx", "xregx", "xdistx")
    urls = [
        province.format(s) for s in Province.objects.order_by("code").values_list("slug", flat=True)
    ]
    urls += [
        regency.format(*row)
        for row in Regency.objects.order_by("code").values_list("province__slug", "slug")
    ]
    urls += [
        district.format(*row)
        for row in District.objects.order_by("code").values_list(
            "regency__province__slug", "regency__slug", "slug"
        )
    ]
    return urls


def _region_count() -> int:
    return Province.objects.count() + Regency.objects.count() + District.objects.count()


class RegionSection(Section):
    def __init__(self, number: int) -> None:
        self.number = number

    def items(self) -> list[tuple[str, None]]:
        start = (self.number - 1) * SECTION_SIZE
        return [(url, None) for url in _region_paths()[start : start + SECTION_SIZE]]


def _newest_post_of_community():
    """SQL: the publication time of a KIM's newest public post (post_community_list_idx)."""
    return Subquery(
        Post.objects.public()
        .filter(community_id=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class CommunitySection(Section):
    """The homes of the live KIMs in one pk range; lastmod: their profile or newest post."""

    def __init__(self, number: int) -> None:
        self.number = number

    def items(self) -> list[tuple[str, datetime.datetime | None]]:
        low, high = _range(self.number)
        rows = (
            Community.objects.live()
            .filter(pk__gte=low, pk__lte=high)
            .annotate(newest_post=_newest_post_of_community())
            .order_by("pk")
            .values_list("slug", "updated_at", "newest_post")
        )
        template = _kim_url_template()
        return [(template.format(slug), _newest(updated, post)) for slug, updated, post in rows]


class PostSection(Section):
    """The public posts in one pk range (of one KIM, or of all); lastmod: edited or published."""

    def __init__(self, number: int | None = None, *, community: Community | None = None) -> None:
        self.number = number
        self.community = community

    def queryset(self):
        queryset = Post.objects.public()
        if self.community is not None:
            queryset = queryset.for_community(self.community)
        if self.number is not None:
            low, high = _range(self.number)
            queryset = queryset.filter(pk__gte=low, pk__lte=high)
        return queryset.order_by("pk")

    def items(self, limit: int = SECTION_SIZE) -> list[tuple[str, datetime.datetime]]:
        rows = self.queryset().values_list("slug", "community__slug", "updated_at", "published_at")[
            :limit
        ]
        template = _post_url_template()
        return [
            (template.format(kim, slug), max(updated, published))
            for slug, kim, updated, published in rows
        ]


class SubsitePages(Section):
    """A KIM's own pages. Home and news change with its posts; the profile and contact page
    with its profile; the roster's changes leave no date on the KIM, so it has none."""

    PAGES = ("subsite:home", "kabar:list", "subsite:profile", "subsite:roster", "subsite:contact")

    def __init__(self, community: Community, newest_post: datetime.datetime | None) -> None:
        self.community = community
        self.newest_post = newest_post

    def items(self) -> list[tuple[str, datetime.datetime | None]]:
        updated = self.community.updated_at
        newest = _newest(updated, self.newest_post)
        lastmods = {"subsite:home": newest, "kabar:list": newest, "subsite:roster": None}
        return [
            (subsite_url(self.community.slug, name), lastmods.get(name, updated))
            for name in self.PAGES
        ]


# --- What the index lists ------------------------------------------------------------------------


def _nonempty_ranges(queryset) -> list[int]:
    """The section numbers whose pk range holds a row of `queryset`, in one query whatever the
    size of the table: the numbers up to the section of the table's highest pk, each kept when
    the first row of `queryset` in its range (by primary key) exists.

    The first row "ORDER BY pk LIMIT 1", in a scalar subquery: its range bounds come from the
    section number, so PostgreSQL plans the probe without knowing them, and only the order by pk
    makes it walk the primary key (from the range's start, stopping at the first match). An
    EXISTS drops the ORDER BY, and PostgreSQL then read a whole other index instead (0.3 s at a
    million posts). Measured there (21 sections): 3-4 ms, against 21-30 ms for one query per
    section. WITH RECURSIVE numbers the sections on PostgreSQL and SQLite alike."""
    model = queryset.model
    first = (
        queryset.filter(
            pk__gte=RawSQL("(sections.n - 1) * %s + 1", (SECTION_SIZE,)),
            pk__lte=RawSQL("sections.n * %s", (SECTION_SIZE,)),
        )
        .order_by("pk")
        .values("pk")[:1]
    )
    first_sql, first_params = first.query.sql_with_params()
    quote = connection.ops.quote_name
    sql = (
        "WITH RECURSIVE bound(last) AS ("  # noqa: S608 - names from the model, values as params
        f"SELECT (COALESCE(MAX({quote(model._meta.pk.column)}), 0) + %s - 1) / %s "
        f"FROM {quote(model._meta.db_table)}), "
        "sections(n) AS (SELECT 1 FROM bound WHERE bound.last >= 1 UNION ALL "
        "SELECT sections.n + 1 FROM sections, bound WHERE sections.n < bound.last) "
        f"SELECT sections.n FROM sections WHERE ({first_sql}) IS NOT NULL ORDER BY sections.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (SECTION_SIZE, SECTION_SIZE, *first_params))
        return [row[0] for row in cursor.fetchall()]


def post_sections(community: Community | None = None) -> list[tuple[int, datetime.datetime | None]]:
    """(section number, lastmod or None) of every pk range holding public posts.

    Nationwide: the ranges that hold a public post, without a lastmod (the newest change of
    each range would take a scan of every public post: about a second at a million posts).
    Of one KIM: one grouped query over its rows of post_community_list_idx, with lastmods.
    """
    if community is None:
        return [(number, None) for number in _nonempty_ranges(Post.objects.public())]
    rows = (
        Post.objects.public()
        .for_community(community)
        .order_by()
        .annotate(section=_section_of("pk"))
        .values("section")
        .annotate(lastmod=Max(Greatest("updated_at", "published_at")))
        .order_by("section")
        .values_list("section", "lastmod")
    )
    return list(rows)


def community_sections() -> list[tuple[int, None]]:
    """(section number, None) of every pk range holding live KIMs (each KIM's lastmod, which
    needs its newest post, is in the section itself)."""
    return [(number, None) for number in _nonempty_ranges(Community.objects.live())]


# --- XML -----------------------------------------------------------------------------------------


def _w3c(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def _xml_response(body: Iterable[str]) -> HttpResponse:
    response = HttpResponse("".join(body), content_type=CONTENT_TYPE)
    # A sitemap is for crawlers, not a page to show in results.
    response["X-Robots-Tag"] = "noindex"
    return response


def urlset(urls: Iterable[dict]) -> HttpResponse:
    """A <urlset> of Sitemap.get_urls() entries."""

    def body():
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'
        for url in urls:
            location, lastmod = url["location"], url["lastmod"]
            stamp = f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else ""
            yield f"<url><loc>{escape(location)}</loc>{stamp}</url>\n"
        yield "</urlset>\n"

    return _xml_response(body())


def sitemap_index(sitemaps: Iterable[tuple[str, datetime.datetime | None]]) -> HttpResponse:
    def body():
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n'
        for location, lastmod in sitemaps:
            stamp = f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else ""
            yield f"<sitemap><loc>{escape(location)}</loc>{stamp}</sitemap>\n"
        yield "</sitemapindex>\n"

    return _xml_response(body())


def _section_url(request: HttpRequest, name: str) -> str:
    """Absolute URL of a section on the host of the index (the portal's or the KIM's)."""
    path = reverse("sitemap_section", args=[name])
    community = request.site.community
    if community is None:
        return site_url(SiteKind.PORTAL, path)
    return site_url(SiteKind.COMMUNITY, path, slug=community.slug)


def _parse(section: str) -> tuple[str, int | None]:
    match = _SECTION_RE.match(section)
    if match is None:
        raise Http404
    kind, number = match["kind"], match["number"]
    if (kind == "halaman") != (number is None):
        raise Http404
    return kind, int(number) if number else None


# --- Views: the portal ---------------------------------------------------------------------------


def portal_index(request: HttpRequest) -> HttpResponse:
    entries = [(_section_url(request, "halaman"), None)]
    regions = _region_count()
    entries += [
        (_section_url(request, f"wilayah-{n}"), None)
        for n in range(1, -(-regions // SECTION_SIZE) + 1)
    ]
    entries += [(_section_url(request, f"kim-{n}"), m) for n, m in community_sections()]
    entries += [(_section_url(request, f"kabar-{n}"), m) for n, m in post_sections()]
    return page_cache.public_page(sitemap_index(entries), page_cache.NATIONAL)


def portal_section(request: HttpRequest, section: str) -> HttpResponse:
    kind, number = _parse(section)
    sitemap = {
        "halaman": PortalPages,
        "wilayah": RegionSection,
        "kim": CommunitySection,
        "kabar": PostSection,
    }[kind]
    urls = (sitemap(number) if number else sitemap()).get_urls()
    if not urls:
        raise Http404
    return page_cache.public_page(urlset(urls), page_cache.NATIONAL)


# --- Views: a KIM's subsite ----------------------------------------------------------------------


def subsite_sitemap(request: HttpRequest) -> HttpResponse:
    """The KIM's pages and posts in one file; an index of sections when they do not fit."""
    community = request.site.community
    scope = page_cache.community_scope(community.pk)
    capacity = max(SECTION_SIZE - len(SubsitePages.PAGES), 0)
    posts = PostSection(community=community).get_urls(limit=capacity + 1)
    if len(posts) <= capacity:
        newest = max((post["lastmod"] for post in posts), default=None)
        return page_cache.public_page(
            urlset([*SubsitePages(community, newest).get_urls(), *posts]), scope
        )
    entries = [(_section_url(request, "halaman"), None)]
    entries += [(_section_url(request, f"kabar-{n}"), m) for n, m in post_sections(community)]
    return page_cache.public_page(sitemap_index(entries), scope)


def subsite_section(request: HttpRequest, section: str) -> HttpResponse:
    community = request.site.community
    kind, number = _parse(section)
    if kind == "halaman":
        newest = (
            Post.objects.public()
            .for_community(community)
            .aggregate(newest=Max(Greatest("updated_at", "published_at")))["newest"]
        )
        urls = SubsitePages(community, newest).get_urls()
    elif kind == "kabar":
        urls = PostSection(number, community=community).get_urls()
    else:
        raise Http404
    if not urls:
        raise Http404
    return page_cache.public_page(urlset(urls), page_cache.community_scope(community.pk))
