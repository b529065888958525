"""Reads of posts for anonymous pages: a KIM's list and post page, the portal's and the region
pages' latest posts.

Everything starts from `Post.objects.public()`, so drafts, posts waiting for moderation,
rejected, taken-down, scheduled and report-hidden posts, and posts of KIMs that are not live never
reach a public page. Lists cost a constant number of queries: one for the posts (with their KIM
joined) and one for the card photos of all of them.
"""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from communities.models import Community
from kimportal.lib.keyset import Keyset, KeysetPage, keyset_page
from posts.models import PUBLIC, Image, Post
from regions.models import District, Province, Regency, Region

PAGE_SIZE = 12
SUBSITE_LATEST = 4
PORTAL_LATEST = 8
REGION_LATEST = 6
# Every public list's order: newest first, the pk breaking ties.
LIST_KEYSET = Keyset("published_at", descending=True, kind=datetime)

# What a card or a page shows of a photo; the original's path and processing columns stay behind.
IMAGE_FIELDS = (
    "pk", "post_id", "community_id", "status", "width", "height", "placeholder", "renditions",
    "caption", "alt_text", "sort_order",
)  # fmt: skip


def _ready_images() -> QuerySet[Image]:
    return Image.objects.filter(status=Image.Status.READY).only(*IMAGE_FIELDS)


def _cards(queryset: QuerySet[Post]) -> QuerySet[Post]:
    """Posts with what a card needs: the KIM and its village joined, the cover joined, and the
    first ready photo of every post in one more query (a sliced prefetch, a window function)."""
    return queryset.select_related("community__village", "cover").prefetch_related(
        Prefetch(
            "images",
            queryset=_ready_images().order_by("sort_order", "pk")[:1],
            to_attr="first_ready_images",
        )
    )


def card_image(post: Post) -> Image | None:
    """The photo of a post's card: its cover when that is ready, else its first ready photo."""
    cover = post.cover
    if cover is not None and cover.post_id == post.pk and cover.is_ready and cover.renditions:
        return cover
    first = getattr(post, "first_ready_images", None)
    return first[0] if first else None


def with_card_images(posts) -> list[Post]:
    """Evaluate `posts` and set `card_image` on each one, for the card template."""
    posts = list(posts)
    for post in posts:
        post.card_image = card_image(post)
    return posts


def public_kinds() -> list[tuple[str, str]]:
    return list(Post.Kind.choices)


def community_posts_page(*, community: Community, kind: str = "", params: QueryDict) -> KeysetPage:
    """One page of a KIM's published posts, newest first, optionally of one kind.

    Keyset-paginated (`params` is request.GET; see kimportal.lib.keyset), on the partial indexes
    post_public_community_idx and post_public_kind_idx: any page costs the same.
    """
    queryset = Post.objects.public().for_community(community)
    if kind in Post.Kind.values:
        queryset = queryset.filter(kind=kind)
    page = keyset_page(_cards(queryset), LIST_KEYSET, size=PAGE_SIZE, params=params)
    page.object_list = with_card_images(page.object_list)
    return page


def community_post_count(*, community: Community, kind: str = "") -> int:
    """How many posts the KIM's list has (of one kind): one KIM's, so bounded by what it writes.

    The KIM is the host's, already known to be live: no join, an index-only count.
    """
    queryset = Post.objects.filter(PUBLIC, published_at__lte=timezone.now()).for_community(
        community
    )
    if kind in Post.Kind.values:
        queryset = queryset.filter(kind=kind)
    return queryset.count()


def community_latest(*, community: Community, limit: int = SUBSITE_LATEST) -> list[Post]:
    queryset = Post.objects.public().for_community(community).order_by("-published_at", "-pk")
    return with_card_images(_cards(queryset)[:limit])


def latest_public(*, limit: int = PORTAL_LATEST) -> list[Post]:
    """The newest public posts of every verified KIM, for the portal's home page."""
    queryset = Post.objects.public().order_by("-published_at", "-pk")
    return with_card_images(_cards(queryset)[:limit])


def region_latest(*, region: Region, limit: int = REGION_LATEST) -> list[Post]:
    """The newest public posts of a province, regency or district."""
    queryset = Post.objects.public()
    if isinstance(region, Province):
        queryset = queryset.filter(province_id=region.code)
    elif isinstance(region, Regency):
        queryset = queryset.filter(regency_id=region.code)
    elif isinstance(region, District):
        queryset = queryset.filter(community__district_id=region.code)
    else:
        raise TypeError(f"no post list for {type(region).__name__}")
    return with_card_images(_cards(queryset.order_by("-published_at", "-pk"))[:limit])


def public_post_get(*, community: Community, slug: str) -> Post:
    """A published post of this KIM; the same 404 for a missing, a non-public and another KIM's
    post."""
    post = (
        Post.objects.public()
        .for_community(community)
        .filter(slug=slug)
        .select_related("siaran_relay__siaran")  # the source line of a relayed siaran
        .first()
    )
    if post is None:
        raise Http404
    post.community = community  # the host's KIM, already loaded with its region
    return post


def post_images(post: Post) -> list[Image]:
    """The ready photos of a post for its page: the cover first, then the gallery in order."""
    images = list(
        _ready_images()
        .filter(community_id=post.community_id, post=post)
        .order_by("sort_order", "pk")
    )
    images = [image for image in images if image.renditions]
    cover = next((image for image in images if image.pk == post.cover_id), None)
    if cover is not None:
        images.remove(cover)
        images.insert(0, cover)
    return images


# --- The national lists: /hoaks/ and /umkm/ on the portal -----------------------------------------

NATIONAL_PAGE_SIZE = 20
# What a hoax item shows (no photo, no body): the claim, the verdict, the KIM and the date.
HOAX_FIELDS = (
    "pk", "community_id", "kind", "title", "slug", "claim", "verdict", "published_at",
    "community__slug", "community__name", "community__village__name",
    "community__village__kind",
)  # fmt: skip


def _in_region(queryset: QuerySet[Post], *, province_code: str, regency_code: str):
    """Narrow to a regency, else a province (the regency's own index holds it: its code implies
    the province)."""
    if regency_code:
        return queryset.filter(regency_id=regency_code)
    if province_code:
        return queryset.filter(province_id=province_code)
    return queryset


def hoax_list_page(
    *, verdict: str = "", province_code: str = "", regency_code: str = "", params: QueryDict
) -> KeysetPage:
    """One page of every public hoax clarification, newest first, optionally of one verdict and
    region. On the partial indexes post_public_hoaks_*: any page and any filter costs one query."""
    queryset = Post.objects.public().filter(kind=Post.Kind.HOAKS)
    if verdict in Post.Verdict.values:
        queryset = queryset.filter(verdict=verdict)
    queryset = _in_region(queryset, province_code=province_code, regency_code=regency_code)
    queryset = queryset.select_related("community__village").only(*HOAX_FIELDS)
    return keyset_page(queryset, LIST_KEYSET, size=NATIONAL_PAGE_SIZE, params=params)


def umkm_list_page(
    *, category: str = "", province_code: str = "", regency_code: str = "", params: QueryDict
) -> KeysetPage:
    """One page of every public UMKM post with its photo, newest first, optionally of one
    category and region. Posts without a category (written before categories existed) count as
    "lainnya". On the partial indexes post_public_umkm_*: two queries whatever the page."""
    queryset = Post.objects.public().filter(kind=Post.Kind.UMKM)
    if category == Post.UmkmCategory.LAINNYA:
        queryset = queryset.filter(umkm_category__in=[category, ""])
    elif category in Post.UmkmCategory.values:
        queryset = queryset.filter(umkm_category=category)
    queryset = _in_region(queryset, province_code=province_code, regency_code=regency_code)
    queryset = _cards(queryset.defer("body", "body_html"))
    page = keyset_page(queryset, LIST_KEYSET, size=NATIONAL_PAGE_SIZE, params=params)
    page.object_list = with_card_images(page.object_list)
    return page
