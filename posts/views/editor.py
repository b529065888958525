"""Writing posts on kelola: a KIM's post list, the phone-first editor, photos and autosave.

Every view receives the KIM's `slug` and resolves the post through
`selectors.post_get_for_editor`, which answers 404 for a missing post exactly as for another
KIM's post (or, for a contributor, another member's post). Services raise PermissionError (→ 404)
and ValidationError (shown, with the user's input kept).
"""

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities import permissions
from communities.models import Community
from posts import images, public_selectors, selectors, services
from posts.forms.editor import (
    PhotoFields,
    PhotoForm,
    PhotosForm,
    PostForm,
    StatusFilterForm,
)
from posts.models import Image, Post, PostRevision
from posts.templatetags.media import thumbnail_url

PAGE_SIZE = 20
# Autosave keeps unsent work safe; a post already on its way or on air changes only on purpose.
AUTOSAVE_STATUSES = (Post.Status.DRAFT, Post.Status.REJECTED)


def _writable_community(request: HttpRequest, slug: str) -> Community:
    community = selectors.community_get_for_writer(user=request.user, slug=slug)
    if not services.can_write(request.user, community):
        raise Http404
    return community


def _editable_post(request: HttpRequest, slug: str, pk: int) -> Post:
    post = selectors.post_get_for_editor(user=request.user, slug=slug, pk=pk)
    if not services.can_edit(request.user, post):
        raise Http404
    return post


def _can_schedule(user, community: Community) -> bool:
    return permissions.has_role(user, community, "editor")


def _post_form(
    request: HttpRequest,
    community: Community,
    post: Post | None,
    data=None,
    *,
    revision: PostRevision | None = None,
):
    # The schedule of a post on air is part of what was approved: a revision keeps it.
    can_schedule = (
        _can_schedule(request.user, community)
        and (post is None or post.status not in (Post.Status.PUBLISHED, Post.Status.TAKEN_DOWN))
        and not (post is not None and services.edit_needs_review(request.user, post))
    )
    return PostForm(data, post=post, revision=revision, can_schedule=can_schedule)


# A new post's form carries a random token naming the photos kept when its first save is
# refused (see services.pending_photo_keep); anything else in that field starts a new one.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _upload_token(data) -> str:
    token = data.get("upload_token", "") if data is not None else ""
    return token if _TOKEN_RE.match(token) else secrets.token_urlsafe(24)


@dataclass
class _Saved:
    post: Post | None = None
    refused: list[str] = field(default_factory=list)


def _refusal(name: str, exc: ValidationError) -> str:
    return _("Foto “%(name)s” tidak diunggah: %(reason)s") % {
        "name": name,
        "reason": " ".join(exc.messages),
    }


def _save(
    request: HttpRequest,
    community: Community,
    post: Post | None,
    form,
    photos: PhotosForm,
    *,
    token: str = "",
) -> _Saved:
    """Write the post (create or update) and its photos' captions in one transaction, then
    store each new or replacing photo on its own: a refused photo is reported by name and leaves
    the text and the other photos saved."""
    data = form.post_data()
    try:
        with transaction.atomic():
            if post is None:
                post = services.post_create(community=community, author=request.user, data=data)
            else:
                post = services.post_update(post=post, actor=request.user, data=data)
            services.post_photos_describe(post=post, actor=request.user, texts=photos.image_texts())
    except PermissionError as exc:
        raise Http404 from exc
    saved = _Saved(post=post)
    saved.refused += _replace_photos(request, post, photos.replacements())
    if token:
        for name, exc in services.post_pending_photos_attach(
            post=post,
            actor=request.user,
            token=token,
            texts=photos.pending_texts(),
            dropped=photos.pending_dropped(),
        ):
            saved.refused.append(_refusal(name, exc))
    saved.refused += _add_photos(request, post, photos)
    return saved


def _store_each(stores: Iterable[tuple[str, Callable[[], object]]]) -> list[str]:
    """Run each (file name, store) in its own transaction; returns a message for each file
    refused. Runs after a refused save too: files are never lost to a mistake in the text."""
    refused = []
    for name, store in stores:
        try:
            with transaction.atomic():
                store()
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            refused.append(_refusal(name, exc))
    return refused


def _replace_photos(request: HttpRequest, post: Post, replacements: dict) -> list[str]:
    """Store the files chosen to replace photos (by photo id)."""

    def replace(pk: int, upload) -> None:
        try:
            image = selectors.post_image_get(post=post, pk=pk)  # fresh: saved whole
        except Http404:
            return  # removed meanwhile
        services.post_photo_replace(image=image, actor=request.user, file=upload)

    return _store_each(
        (upload.name, partial(replace, pk, upload)) for pk, upload in replacements.items()
    )


def _add_photos(request: HttpRequest, post: Post, photos: PhotosForm) -> list[str]:
    """Store the new files of the form, with the texts typed for them."""
    return _store_each(
        (
            upload.name,
            partial(
                services.post_photo_add,
                post=post,
                actor=request.user,
                file=upload,
                caption=caption,
                alt_text=alt_text,
            ),
        )
        for upload, caption, alt_text in photos.new_uploads()
    )


def _keep_photos(
    request: HttpRequest, community: Community, post: Post | None, photos: PhotosForm, token: str
) -> list[str]:
    """After a refused save, keep the files chosen with it: attached to the post when there is
    one, held for this form (token) when the post does not exist yet. Returns the refusals."""
    if post is not None:
        return _replace_photos(request, post, photos.replacements()) + _add_photos(
            request, post, photos
        )
    return _store_each(
        (
            upload.name,
            partial(
                services.pending_photo_keep,
                community=community,
                owner=request.user,
                token=token,
                file=upload,
                caption=caption,
                alt_text=alt_text,
            ),
        )
        for upload, caption, alt_text in photos.new_uploads()
    )


def _report_refused(request: HttpRequest, saved: _Saved) -> None:
    for message in saved.refused:
        messages.error(request, message)
    if saved.refused:
        messages.warning(
            request, _("Tulisan sudah disimpan. Pilih ulang foto yang ditolak bila perlu.")
        )


def _public_url(post: Post) -> str:
    if post.status != Post.Status.PUBLISHED or not post.community.is_live:
        return ""
    return services.post_public_url(post)


def _render_editor(
    request: HttpRequest,
    community: Community,
    post: Post | None,
    form,
    *,
    data=None,
    refused: list[str] = (),
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    """The editor page. `data`: the refused request's input, drawn again (captions included);
    `refused`: why files were not kept; `token`: a new post's form token."""
    may_edit = post is None or services.can_edit(request.user, post)
    photo_list = selectors.post_images(post) if post else []
    pending, last_decided = selectors.post_revisions_for_editor(post) if post else (None, None)
    photos_editable = post is None or services.post_photos_editable(request.user, post)
    kept = (
        selectors.pending_photos(community=community, owner=request.user, token=token)
        if post is None and data is not None
        else []
    )
    photos_form = PhotosForm(
        data, images=photo_list if (may_edit and photos_editable) else [], pending=kept
    )
    if data is not None:
        photos_form.full_clean()
        for message in refused:
            photos_form.add_error("photos", message)
    slots = images.MAX_PHOTOS - len(photo_list) - len(kept)
    context = {
        "community": community,
        "post": post,
        "form": form if may_edit else None,
        "photos_form": photos_form if may_edit else None,
        "photo_cards": (
            photos_form.photo_cards()
            if may_edit and photos_editable
            else [PhotoFields(image) for image in photo_list]
        ),
        "pending_cards": photos_form.pending_cards(),
        "upload_token": token,
        "photo_slots": max(slots, 0) if photos_editable else 0,
        "photos_editable": photos_editable,
        "revision": pending,
        "last_revision": last_decided,
        "edit_needs_review": post is not None and services.edit_needs_review(request.user, post),
        "max_photos": images.MAX_PHOTOS,
        "may_edit": may_edit,
        "may_submit": may_edit
        and post is not None
        and post.status in (Post.Status.DRAFT, Post.Status.REJECTED),
        "publishes_directly": services.can_publish_directly(request.user, community),
        "autosave": post is not None and may_edit and post.status in AUTOSAVE_STATUSES,
        "events": selectors.post_history(post) if post else [],
        "public_url": _public_url(post) if post else "",
        # Read-only (e.g. a contributor's post under moderation): shown as it will be published.
        "preview_images": public_selectors.post_images(post) if post and not may_edit else [],
        "photos_busy": any(
            i.status in (Image.Status.PENDING, Image.Status.PROCESSING) for i in photo_list
        ),
    }
    return render(request, "posts/editor/edit.html", context, status=status)


def _photos_form(
    request: HttpRequest, community: Community, post: Post | None, *, files=None, token: str = ""
) -> PhotosForm:
    """The photo part of a submitted form, built from the post's own photos (or, for a new
    post, the photos kept for this form's token)."""
    data = request.POST
    if post is None:
        kept = selectors.pending_photos(community=community, owner=request.user, token=token)
        return PhotosForm(data, files, pending=kept)
    editable = services.post_photos_editable(request.user, post)
    return PhotosForm(data, files, images=selectors.post_images(post) if editable else [])


# --- List ------------------------------------------------------------------------------------


@login_required
@require_GET
def post_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_writer(user=request.user, slug=slug)
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    posts = selectors.post_list_for_member(user=request.user, community=community, status=status)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page": page,
        "form": form,
        "may_write": services.can_write(request.user, community),
        "sees_all": permissions.has_role(request.user, community, "editor"),
    }
    return render(request, "posts/editor/list.html", context)


# --- Create and edit ---------------------------------------------------------------------------


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    community = _writable_community(request, slug)
    if request.method != "POST":
        form = _post_form(request, community, None)
        return _render_editor(request, community, None, form, token=_upload_token(None))
    token = _upload_token(request.POST)
    form = _post_form(request, community, None, request.POST)
    photos = _photos_form(request, community, None, files=request.FILES, token=token)
    if form.is_valid() and photos.is_valid():
        saved = _save(request, community, None, form, photos, token=token)
        messages.success(request, _("Tulisan disimpan sebagai draf."))
        _report_refused(request, saved)
        return redirect("posts:edit", community.slug, saved.post.pk)
    refused = _keep_photos(request, community, None, photos, token)
    return _render_editor(
        request, community, None, form, data=request.POST, refused=refused, token=token
    )


def _refused_save(request: HttpRequest, post: Post, form, photos: PhotosForm) -> HttpResponse:
    """The form is drawn again with its errors and what was typed; the files chosen with it are
    attached to the post all the same (nothing has to be chosen twice)."""
    refused = _keep_photos(request, post.community, post, photos, "")
    return _render_editor(request, post.community, post, form, data=request.POST, refused=refused)


@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    post = selectors.post_get_for_editor(user=request.user, slug=slug, pk=pk)
    community = post.community
    if request.method != "POST":
        pending, _last = selectors.post_revisions_for_editor(post)
        form = _post_form(request, community, post, revision=pending)
        return _render_editor(request, community, post, form)
    if not services.can_edit(request.user, post):
        raise Http404
    form = _post_form(request, community, post, request.POST)
    photos = _photos_form(request, community, post, files=request.FILES)
    if not (form.is_valid() and photos.is_valid()):
        return _refused_save(request, post, form, photos)
    review = services.edit_needs_review(request.user, post)
    saved = _save(request, community, post, form, photos)
    if not review:
        messages.success(request, _("Tulisan disimpan."))
    elif selectors.post_revisions_for_editor(post)[0] is not None:
        messages.success(
            request,
            _(
                "Perubahan disimpan dan menunggu persetujuan Diskominfo. "
                "Sampai disetujui, versi yang tayang tidak berubah."
            ),
        )
    else:
        messages.info(request, _("Tidak ada perubahan dari versi yang tayang."))
    _report_refused(request, saved)
    return redirect("posts:edit", community.slug, post.pk)


@login_required
@require_POST
def submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send the post to moderation (or publish it, for an editor of a trusted KIM). The editor's
    "Simpan & kirim" button posts the whole form here: it is saved first."""
    post = _editable_post(request, slug, pk)
    community = post.community
    if "title" in request.POST:
        form = _post_form(request, community, post, request.POST)
        photos = _photos_form(request, community, post, files=request.FILES)
        if not (form.is_valid() and photos.is_valid()):
            return _refused_save(request, post, form, photos)
        saved = _save(request, community, post, form, photos)
        if saved.refused:
            _report_refused(request, saved)
            messages.warning(request, _("Tulisan belum dikirim karena ada foto yang ditolak."))
            return redirect("posts:edit", community.slug, post.pk)
    try:
        services.post_submit(post=post, actor=request.user)
    except PermissionError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("posts:edit", community.slug, post.pk)
    if services.can_publish_directly(request.user, community):
        messages.success(
            request,
            _("Tulisan dikirim. Setelah pemeriksaan otomatis lolos, tulisan langsung tayang."),
        )
    else:
        messages.success(
            request, _("Tulisan dikirim ke Diskominfo dan menunggu moderasi. Terima kasih!")
        )
    return redirect("posts:edit", community.slug, post.pk)


@login_required
@require_POST
def autosave(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """editor.js saves the form every ~20 s while it changes: the text and the photos'
    captions (files are not part of it)."""
    post = _editable_post(request, slug, pk)
    if post.status not in AUTOSAVE_STATUSES:
        return JsonResponse(
            {"ok": False, "message": _("Tulisan ini disimpan dengan tombol Simpan.")}, status=409
        )
    form = _post_form(request, post.community, post, request.POST)
    photos = _photos_form(request, post.community, post)
    if not (form.is_valid() and photos.is_valid()):
        errors = {**form.errors, **photos.errors}
        return JsonResponse(
            {
                "ok": False,
                "message": _("Belum tersimpan otomatis: periksa isian yang ditandai."),
                "errors": {name: list(found) for name, found in errors.items()},
            },
            status=400,
        )
    try:
        with transaction.atomic():
            services.post_update(post=post, actor=request.user, data=form.post_data())
            services.post_photos_describe(post=post, actor=request.user, texts=photos.image_texts())
    except PermissionError as exc:
        raise Http404 from exc
    saved_at = date_format(timezone.localtime(post.updated_at), "TIME_FORMAT")
    return JsonResponse(
        {
            "ok": True,
            "saved_at": saved_at,
            "message": _("Tersimpan otomatis %(time)s") % {"time": saved_at},
        }
    )


# --- Photos ----------------------------------------------------------------------------------


def _photo_state(image: Image) -> dict:
    return {
        "id": image.pk,
        "status": image.status,
        "label": image.get_status_display(),
        "error": image.error if image.status == Image.Status.FAILED else "",
        "thumbnail": thumbnail_url(image) if image.is_ready else "",
        "alt": image.alt_text,
    }


@login_required
@require_GET
def photo_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    post = selectors.post_get_for_editor(user=request.user, slug=slug, pk=pk)
    photos = [_photo_state(image) for image in selectors.post_images(post)]
    busy = any(p["status"] in (Image.Status.PENDING, Image.Status.PROCESSING) for p in photos)
    response = JsonResponse({"photos": photos, "done": not busy})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def photo_edit(request: HttpRequest, slug: str, pk: int, image_pk: int) -> HttpResponse:
    post = selectors.post_get_for_editor(user=request.user, slug=slug, pk=pk)
    image = selectors.post_image_get(post=post, pk=image_pk)
    may_edit = services.can_edit(request.user, post)
    if request.method == "POST" and not may_edit:
        raise Http404
    prefix = f"foto{image.pk}"
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = PhotoForm(*bound, instance=image, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        replacement = form.cleaned_data.get("replacement")
        try:
            with transaction.atomic():
                services.post_photo_update(
                    image=image,
                    actor=request.user,
                    caption=form.cleaned_data["caption"],
                    alt_text=form.cleaned_data["alt_text"],
                    replacement=replacement,
                )
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if not services.post_photos_editable(request.user, post):
                # The page shows no photo form for this post: say why on the editor.
                messages.error(request, " ".join(exc.messages))
                url = reverse("posts:edit", args=[post.community.slug, post.pk])
                return redirect(f"{url}#foto-{image.pk}")
            form.add_error("replacement", exc.messages)
        else:
            if replacement:
                messages.success(request, _("Foto diganti dan sedang diproses."))
            else:
                messages.success(request, _("Keterangan foto disimpan."))
            url = reverse("posts:edit", args=[post.community.slug, post.pk])
            return redirect(f"{url}#foto-{image.pk}")
    return render(
        request,
        "posts/editor/photo_edit.html",
        {
            "community": post.community,
            "post": post,
            "image": image,
            "form": form,
            "may_edit": may_edit and services.post_photos_editable(request.user, post),
        },
    )


@login_required
@require_POST
def photo_delete(request: HttpRequest, slug: str, pk: int, image_pk: int) -> HttpResponse:
    post = _editable_post(request, slug, pk)
    image = selectors.post_image_get(post=post, pk=image_pk)
    try:
        with transaction.atomic():
            services.post_photo_remove(image=image, actor=request.user)
    except PermissionError as exc:
        raise Http404 from exc
    messages.success(request, _("Foto dihapus."))
    url = reverse("posts:edit", args=[post.community.slug, post.pk])
    return redirect(f"{url}#foto")
