"""Reading a KIM's posts on its subsite, and reporting one. `request.site.community` is the KIM."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communities.models import Community
from kimportal.lib import page_cache
from kimportal.lib.client import client_address
from kimportal.lib.jsonld import ld_json
from kimportal.lib.links import portal_url, subsite_url
from posts import public_selectors
from posts.forms.public import ReportForm
from posts.models import Image, Post
from posts.services import post_public_url, report_create

DESCRIPTION_WORDS = 30
OG_IMAGE_WIDTH = 1024
# How sure a verdict is, for ClaimReview's numeric rating (1 false … 5 true); the label is what
# readers and search engines show.
VERDICT_RATING = {
    Post.Verdict.HOAKS: 1,
    Post.Verdict.DISINFORMASI: 2,
    Post.Verdict.BELUM_TERBUKTI: 3,
    Post.Verdict.BENAR: 5,
}


# --- Presentation helpers ------------------------------------------------------------------------


def _community_context(community: Community) -> dict:
    """What base_subsite.html needs about the KIM."""
    image = community.cover or community.logo
    return {"community": community, "nav": "kabar", "og_image": image.url if image else ""}


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def og_image_url(request: HttpRequest, image: Image | None) -> str:
    """Absolute URL of the 1024-wide JPEG of a photo (a smaller photo: its largest JPEG)."""
    renditions = getattr(image, "renditions", None) or {}
    widths = sorted(int(w) for w, entry in renditions.items() if w.isdigit() and entry.get("jpeg"))
    if not widths:
        return ""
    fitting = [w for w in widths if w <= OG_IMAGE_WIDTH]
    path = renditions[str(fitting[-1] if fitting else widths[0])]["jpeg"]
    return _absolute(request, default_storage.url(path))


def post_description(post: Post) -> str:
    if post.summary:
        return post.summary
    text = post.body or post.claim or post.title
    return Truncator(" ".join(text.split())).words(DESCRIPTION_WORDS)


def _iso(moment) -> str:
    """Local time in whole seconds, as the page's meta tags and <time> elements write it."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def structured_data(post: Post, *, url: str, description: str, image_urls: list[str]) -> list[dict]:
    """schema.org NewsArticle of a post, and a ClaimReview for a hoax clarification."""
    community = post.community
    kim = {
        "@type": "Organization",
        "name": community.name,
        "url": subsite_url(community.slug, "subsite:home"),
    }
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": _iso(post.published_at),
        "dateModified": _iso(max(post.updated_at, post.published_at)),
        "inLanguage": "id",
        "articleSection": post.get_kind_display(),
        "author": kim,
        "publisher": {"@type": "Organization", "name": "kim.id", "url": portal_url("home")},
    }
    if image_urls:
        article["image"] = image_urls
    if post.tags:
        article["keywords"] = ", ".join(post.tags)
    blocks = [article]
    if post.kind == Post.Kind.HOAKS and post.verdict and post.claim:
        claim = {"@type": "Claim", "name": Truncator(post.claim).chars(300)}
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": url,
            "datePublished": _iso(post.published_at),
            "claimReviewed": post.claim,
            "itemReviewed": claim,
            "author": kim,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": VERDICT_RATING[post.verdict],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": post.get_verdict_display(),
            },
        }
        blocks.append(review)
    return blocks


# --- Views ---------------------------------------------------------------------------------------


def post_list(request: HttpRequest) -> HttpResponse:
    community = request.site.community
    kind = request.GET.get("jenis", "")
    kind = kind if kind in Post.Kind.values else ""
    page = public_selectors.community_posts_page(community=community, kind=kind, params=request.GET)
    # Pagination links keep the kind and drop anything else.
    query = QueryDict(mutable=True)
    if kind:
        query["jenis"] = kind
    context = _community_context(community)
    context["og_image"] = _absolute(request, context["og_image"])
    response = render(
        request,
        "posts/public/list.html",
        {
            **context,
            "page_title": Post.Kind(kind).label if kind else _("Kabar"),
            "page_description": _("Kegiatan, berita, dan informasi dari %(name)s.")
            % {"name": community.name},
            "page": page,
            "query": query,
            "post_count": public_selectors.community_post_count(community=community, kind=kind),
            "kind": kind,
            "kinds": public_selectors.public_kinds(),
        },
    )
    return page_cache.public_page(response, page_cache.community_scope(community.pk))


def _detail(request: HttpRequest, post: Post) -> HttpResponse:
    images = public_selectors.post_images(post)
    url = post_public_url(post)
    description = post_description(post)
    community_context = _community_context(post.community)
    og_image = og_image_url(request, images[0] if images else None) or _absolute(
        request, community_context["og_image"]
    )
    image_urls = [u for u in (og_image_url(request, image) for image in images[:3]) if u]
    response = render(
        request,
        "posts/public/detail.html",
        {
            **community_context,
            "page_title": post.title,
            "page_description": description,
            "post": post,
            "source_relay": getattr(post, "siaran_relay", None),
            "images": images,
            "canonical_url": url,
            "og_image": og_image,
            "og_image_alt": images[0].alt_text if images else "",
            "structured_data": [
                ld_json(block)
                for block in structured_data(
                    post, url=url, description=description, image_urls=image_urls
                )
            ],
        },
    )
    return page_cache.public_page(response, page_cache.community_scope(post.community_id))


def _report_page(
    request: HttpRequest, post: Post, form: ReportForm, *, status: int = 200
) -> HttpResponse:
    """The report form, on a page of its own: the post's page stays free of forms and cookies."""
    return render(
        request,
        "posts/public/report.html",
        {
            **_community_context(post.community),
            "page_title": _("Laporkan: %(title)s") % {"title": post.title},
            "page_description": post_description(post),
            "post": post,
            "report_form": form,
        },
        status=status,
    )


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = public_selectors.public_post_get(community=request.site.community, slug=slug)
    return _detail(request, post)


def post_report(request: HttpRequest, slug: str) -> HttpResponse:
    post = public_selectors.public_post_get(community=request.site.community, slug=slug)
    if request.method != "POST":
        return _report_page(request, post, ReportForm())
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, post, form)
    try:
        report_create(
            post=post,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
            address=client_address(request),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        status = 429 if getattr(exc, "code", None) == "rate" else 200
        return _report_page(request, post, form, status=status)
    messages.success(
        request,
        _("Terima kasih. Laporan Anda sudah kami terima dan akan diperiksa admin Diskominfo."),
    )
    if post.hidden_by_reports:  # this report hid it: its page is gone until an admin decides
        return redirect("kabar:list")
    return redirect("kabar:detail", slug=post.slug)
