"""Moderation of posts by Diskominfo staff (regency, province and national admins).

Every page resolves its post through `selectors.post_get_for_moderator`, which answers 404 for a
post outside the user's scope exactly as for a missing one. Decisions are taken by the services,
which take each decision exactly once: a second admin gets their message, not a crash.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities import permissions
from posts import public_selectors, selectors, services
from posts.diff import revision_diff
from posts.forms.moderation import (
    ApproveForm,
    BannedTermForm,
    DismissReportsForm,
    QueueFilterForm,
    RejectForm,
    TakeDownForm,
)
from posts.models import Post, PostRevision
from stats import dashboards

PAGE_SIZE = 25
TERMS_PAGE_SIZE = 50


def _offered(post: Post) -> dict[str, bool]:
    """Which actions the detail page offers for the post as it stands."""
    submitted = post.status == Post.Status.SUBMITTED
    on_air = post.status in (Post.Status.PUBLISHED, Post.Status.SCHEDULED)
    return {
        "approve": submitted,
        "reject": submitted,
        "take_down": on_air,
        "dismiss_reports": post.status == Post.Status.PUBLISHED and post.open_reports > 0,
    }


ACTION_FORMS: dict[str, type] = {
    "approve": ApproveForm,
    "reject": RejectForm,
    "take_down": TakeDownForm,
    "dismiss_reports": DismissReportsForm,
}


def _require_staff(request: HttpRequest) -> None:
    if not permissions.is_staff_admin(request.user):
        raise Http404


def _require_national(request: HttpRequest) -> None:
    if not permissions.is_national_admin(request.user):
        raise Http404


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


# --- Queue -----------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    # ?wilayah= narrows the queue to one region of the user's scopes: 404 outside them, as on
    # the statistics pages. Without it, the queue is the whole of the user's scopes.
    key = request.GET.get("wilayah", "").strip()
    area = dashboards.area_for_user(request.user, key) if key else None
    areas = dashboards.area_options(request.user, area or dashboards.area_for_user(request.user))
    posts_area = area.filter() if area else None
    revisions_area = area.filter("post__") if area else None
    communities = selectors.moderation_queue_communities(
        user=request.user, area=posts_area, revisions_area=revisions_area
    )
    form = QueueFilterForm(request.GET or None, communities=communities, areas=areas.areas)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    items = selectors.moderation_queue(
        user=request.user,
        area=posts_area,
        community_id=filters.get("kim"),
        kind=filters.get("kind", ""),
        checks=filters.get("checks", ""),
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    revisions = selectors.moderation_revisions(
        user=request.user,
        area=revisions_area,
        community_id=filters.get("kim"),
        kind=filters.get("kind", ""),
        checks=filters.get("checks", ""),
    )
    revision_page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("perubahan"))
    return render(
        request,
        "posts/moderation/queue.html",
        {
            "page": page,
            "form": form,
            "revision_page": revision_page,
            "kim_choices_max": selectors.KIM_CHOICES_MAX,
        },
    )


# --- Detail and decisions --------------------------------------------------------------------


def _render_detail(
    request: HttpRequest, post: Post, *, bound: dict | None = None, error: str = ""
) -> HttpResponse:
    bound = bound or {}
    forms = {
        name: bound.get(name) or ACTION_FORMS[name](auto_id=f"{name}_%s")
        for name, offered in _offered(post).items()
        if offered
    }
    context = {
        "post": post,
        "community": post.community,
        # The preview is the public page's own article partial, with the photos it would show.
        "images": public_selectors.post_images(post),
        "unready_photos": selectors.post_unready_photo_count(post),
        "events": selectors.post_history(post),
        "reports": selectors.post_reports(post),
        "forms": forms,
        "action_error": error,
    }
    return render(request, "posts/moderation/detail.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for_moderator(user=request.user, pk=pk)
    return _render_detail(request, post)


def _decide(
    request: HttpRequest,
    name: str,
    load: Callable[[], Post | PostRevision],
    perform: Callable,
    render_page: Callable[..., HttpResponse],
    detail_route: str,
    auto_id: str,
) -> HttpResponse:
    """Run one decision on a post or a revision: validate the form, call the service, redirect
    or re-render the object's page."""
    obj = load()
    form = ACTION_FORMS[name](request.POST, auto_id=auto_id)
    back = _safe_next(request)
    error = ""
    if form.is_valid():
        try:
            message = perform(obj, form.cleaned_data)
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            # Refused before writing (another admin decided first, or a newer edit replaced a
            # revision). Read it again.
            error = " ".join(exc.messages)
            obj = load()
            if back:
                messages.error(request, error)
                return redirect(back)
        else:
            messages.success(request, message)
            return redirect(back) if back else redirect(detail_route, obj.pk)
    elif back:
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
        return redirect(back)
    return render_page(request, obj, bound={} if error else {name: form}, error=error)


def _act(
    request: HttpRequest, pk: int, name: str, perform: Callable[[Post, dict], str]
) -> HttpResponse:
    def load() -> Post:
        return selectors.post_get_for_moderator(user=request.user, pk=pk)

    return _decide(request, name, load, perform, _render_detail, "moderation:detail", f"{name}_%s")


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(post: Post, data: dict) -> str:
        services.post_approve(post=post, actor=request.user)
        if post.status == Post.Status.SCHEDULED:
            return _("“%(title)s” disetujui dan tayang sesuai jadwal.") % {"title": post.title}
        return _("“%(title)s” disetujui dan kini tayang.") % {"title": post.title}

    return _act(request, pk, "approve", perform)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(post: Post, data: dict) -> str:
        services.post_reject(post=post, actor=request.user, reason=data["reason"])
        return _("“%(title)s” ditolak. Penulis menerima alasannya lewat email.") % {
            "title": post.title
        }

    return _act(request, pk, "reject", perform)


@login_required
@require_POST
def take_down(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(post: Post, data: dict) -> str:
        services.post_take_down(post=post, actor=request.user, reason=data["reason"])
        return _("“%(title)s” diturunkan. Penulis menerima alasannya lewat email.") % {
            "title": post.title
        }

    return _act(request, pk, "take_down", perform)


@login_required
@require_POST
def dismiss_reports(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(post: Post, data: dict) -> str:
        services.reports_dismiss(post=post, actor=request.user, reason=data["reason"])
        return _("Laporan atas “%(title)s” diabaikan; tulisan tetap tayang.") % {
            "title": post.title
        }

    return _act(request, pk, "dismiss_reports", perform)


# --- Revisions of posts on air ---------------------------------------------------------------


def _render_revision(
    request: HttpRequest,
    revision: PostRevision,
    *,
    bound: dict | None = None,
    error: str = "",
) -> HttpResponse:
    bound = bound or {}
    pending = revision.status == PostRevision.Status.PENDING
    forms = {
        name: bound.get(name) or ACTION_FORMS[name](auto_id=f"revision_{name}_%s")
        for name in ("approve", "reject")
        if pending
    }
    post = revision.post
    context = {
        "revision": revision,
        "post": post,
        "community": post.community,
        "diff": revision_diff(post, revision),
        "events": selectors.post_history(post),
        "forms": forms,
        "action_error": error,
    }
    return render(request, "posts/moderation/revision.html", context)


@login_required
@require_GET
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_revision(request, selectors.revision_get_for_moderator(user=request.user, pk=pk))


def _act_on_revision(
    request: HttpRequest, pk: int, name: str, perform: Callable[[PostRevision, dict], str]
) -> HttpResponse:
    def load() -> PostRevision:
        return selectors.revision_get_for_moderator(user=request.user, pk=pk)

    return _decide(
        request, name, load, perform, _render_revision, "moderation:revision", f"revision_{name}_%s"
    )


@login_required
@require_POST
def revision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(revision: PostRevision, data: dict) -> str:
        post = services.revision_approve(revision=revision, actor=request.user)
        return _("Perubahan disetujui; “%(title)s” kini tayang dengan teks baru.") % {
            "title": post.title
        }

    return _act_on_revision(request, pk, "approve", perform)


@login_required
@require_POST
def revision_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(revision: PostRevision, data: dict) -> str:
        services.revision_reject(revision=revision, actor=request.user, reason=data["reason"])
        return _(
            "Perubahan ditolak; “%(title)s” tetap tayang seperti sebelumnya. "
            "Penulis menerima alasannya lewat email."
        ) % {"title": revision.post.title}

    return _act_on_revision(request, pk, "reject", perform)


# --- Banned terms ----------------------------------------------------------------------------


@login_required
def banned_terms(request: HttpRequest) -> HttpResponse:
    _require_national(request)
    form = BannedTermForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.banned_term_add(actor=request.user, term=form.cleaned_data["term"])
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error("term", exc.messages)
        else:
            messages.success(request, _("“%(term)s” ditambahkan.") % {"term": term.term})
            return redirect("moderation:banned_terms")
    page = Paginator(selectors.banned_terms(), TERMS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "posts/moderation/banned_terms.html", {"page": page, "form": form})


@login_required
@require_POST
def banned_term_delete(request: HttpRequest, pk: int) -> HttpResponse:
    term = selectors.banned_term_get(user=request.user, pk=pk)
    try:
        services.banned_term_remove(actor=request.user, term=term)
    except PermissionError as exc:
        raise Http404 from exc
    messages.success(request, _("“%(term)s” dihapus dari daftar.") % {"term": term.term})
    return redirect("moderation:banned_terms")
