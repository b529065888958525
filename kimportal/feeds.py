"""Atom and RSS feeds of public posts: the portal's, a province's, a regency's and a KIM's.

Built on Django's syndication framework. Each feed holds the newest FEED_ITEMS public posts
(`posts.public_selectors`, so drafts, queued, taken-down, report-hidden posts and posts of KIMs
that are not live never appear) in a constant number of queries: the posts with their KIM, and
the card photos of all of them. Summaries are plain text; links point at the KIMs' subsites.
"""

import html
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.http import http_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communities.models import Community
from kimportal.lib import page_cache
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import portal_url, site_url, subsite_url
from kimportal.lib.renditions import is_withdrawn
from posts import public_selectors
from posts.models import Image, Post
from regions import selectors as region_selectors

FEED_ITEMS = 30
SUMMARY_WORDS = 60
# The enclosure is the card photo's JPEG at this width (or the widest narrower one).
ENCLOSURE_WIDTH = 1024


@dataclass
class FeedSource:
    """What one feed request shows: its texts, its page, its posts and what it depends on."""

    title: str
    description: str
    link: str  # the HTML page the feed belongs to
    posts: list[Post]
    scopes: tuple[str, ...]
    request: HttpRequest = field(repr=False)


def post_summary(post: Post) -> str:
    """Plain text: the post's summary, or the start of its body without markup."""
    if post.summary:
        return post.summary
    text = html.unescape(strip_tags(post.body_html)) if post.body_html else post.body
    return Truncator(" ".join((text or post.claim or post.title).split())).words(SUMMARY_WORDS)


def enclosure(request: HttpRequest, image: Image | None) -> Enclosure | None:
    """The card photo's JPEG rendition, with its size in bytes.

    Only when the storage can tell the size without a network round trip (files on disk): an
    enclosure must carry its length, and a made-up one is worse than none.
    """
    renditions = getattr(image, "renditions", None) or {}
    widths = sorted(
        int(width)
        for width, entry in renditions.items()
        if width.isdigit() and entry.get("jpeg") and not is_withdrawn(entry["jpeg"])
    )
    if not widths or not isinstance(default_storage, FileSystemStorage):
        return None
    fitting = [w for w in widths if w <= ENCLOSURE_WIDTH]
    path = renditions[str(fitting[-1] if fitting else widths[0])]["jpeg"]
    try:
        length = default_storage.size(path)
    except OSError:
        return None
    url = request.build_absolute_uri(default_storage.url(path))
    return Enclosure(url, str(length), "image/jpeg")


class PostFeed(Feed):
    """An Atom feed of public posts; `source()` says which ones. RssMixin makes it RSS 2.0."""

    feed_type = Atom1Feed

    def source(self, request: HttpRequest, **kwargs) -> FeedSource:
        raise NotImplementedError

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Django's Feed.__call__, plus the page-cache mark with the scopes of the source.
        source = self.get_object(request, *args, **kwargs)
        feed = self.get_feed(source, request)
        response = HttpResponse(content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        feed.write(response, "utf-8")
        return page_cache.public_page(response, *source.scopes)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedSource:
        source = self.source(request, **kwargs)
        for post in source.posts:
            post.feed_enclosure = enclosure(request, post.card_image)
        return source

    def items(self, source: FeedSource) -> list[Post]:
        return source.posts

    def title(self, source: FeedSource) -> str:
        return source.title

    def subtitle(self, source: FeedSource) -> str:
        return source.description

    def description(self, source: FeedSource) -> str:
        return source.description

    def link(self, source: FeedSource) -> str:
        return source.link

    def feed_url(self, source: FeedSource) -> str:
        return source.request.build_absolute_uri(source.request.path)

    def author_name(self, source: FeedSource) -> str:
        return "kim.id"

    def author_link(self, source: FeedSource) -> str:
        return portal_url("home")

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        # Feed readers read a summary as HTML: escaped, the plain text stays text.
        return html.escape(post_summary(post), quote=False)

    def item_link(self, post: Post) -> str:
        return subsite_url(post.community.slug, "kabar:detail", post.slug)

    def item_guid(self, post: Post) -> str:
        # Stable when the KIM changes its subdomain or the post its slug (RFC 4151 tag URI).
        return f"tag:{settings.PORTAL_DOMAIN},2026:kabar/{post.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, post: Post):
        return post.published_at

    def item_updateddate(self, post: Post):
        return max(post.updated_at, post.published_at)

    def item_author_name(self, post: Post) -> str:
        return post.community.name

    def item_author_link(self, post: Post) -> str:
        return subsite_url(post.community.slug, "subsite:home")

    def item_categories(self, post: Post) -> list[str]:
        return [str(post.get_kind_display()), *(str(tag) for tag in post.tags or [])]

    def item_enclosures(self, post: Post) -> list[Enclosure]:
        found = getattr(post, "feed_enclosure", None)
        return [found] if found else []


class RssMixin:
    feed_type = Rss201rev2Feed


# --- The portal ----------------------------------------------------------------------------------


class PortalFeed(PostFeed):
    def source(self, request: HttpRequest, **kwargs) -> FeedSource:
        return FeedSource(
            title=_("Kabar KIM se-Indonesia · kim.id"),
            description=_("Tulisan terbaru dari Kelompok Informasi Masyarakat se-Indonesia."),
            link=portal_url("home"),
            posts=public_selectors.latest_public(limit=FEED_ITEMS),
            scopes=(page_cache.NATIONAL,),
            request=request,
        )


class PortalRssFeed(RssMixin, PortalFeed):
    pass


# --- Region pages --------------------------------------------------------------------------------


class ProvinceFeed(PostFeed):
    def source(self, request: HttpRequest, *, province_slug: str, **kwargs) -> FeedSource:
        province = region_selectors.province_get(province_slug=province_slug)
        place = _("Provinsi %(name)s") % {"name": province.name}
        return _region_source(request, province, place, page_cache.province_scope(province.code))


class ProvinceRssFeed(RssMixin, ProvinceFeed):
    pass


class RegencyFeed(PostFeed):
    def source(
        self, request: HttpRequest, *, province_slug: str, regency_slug: str, **kwargs
    ) -> FeedSource:
        regency = region_selectors.regency_get(
            province_slug=province_slug, regency_slug=regency_slug
        )
        return _region_source(
            request, regency, regency.name, page_cache.regency_scope(regency.code)
        )


class RegencyRssFeed(RssMixin, RegencyFeed):
    pass


def _region_source(request: HttpRequest, region, place: str, scope: str) -> FeedSource:
    return FeedSource(
        title=_("Kabar KIM di %(place)s · kim.id") % {"place": place},
        description=_("Tulisan terbaru dari Kelompok Informasi Masyarakat di %(place)s.")
        % {"place": place},
        link=site_url(SiteKind.PORTAL, region.get_absolute_url()),
        posts=public_selectors.region_latest(region=region, limit=FEED_ITEMS),
        scopes=(scope,),
        request=request,
    )


# --- A KIM's subsite ---------------------------------------------------------------------------


class CommunityFeed(PostFeed):
    def source(self, request: HttpRequest, **kwargs) -> FeedSource:
        community: Community = request.site.community
        posts = public_selectors.community_latest(community=community, limit=FEED_ITEMS)
        for post in posts:
            post.community = community  # the host's KIM, already loaded
        return FeedSource(
            title=_("Kabar %(name)s") % {"name": community.name},
            description=_("Kegiatan, berita, dan informasi dari %(name)s.")
            % {"name": community.name},
            link=subsite_url(community.slug, "kabar:list"),
            posts=posts,
            scopes=(page_cache.community_scope(community.pk),),
            request=request,
        )

    def author_name(self, source: FeedSource) -> str:
        return source.request.site.community.name

    def author_link(self, source: FeedSource) -> str:
        return subsite_url(source.request.site.community.slug, "subsite:home")


class CommunityRssFeed(RssMixin, CommunityFeed):
    pass
