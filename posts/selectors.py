"""Reads of posts for the kelola host: a KIM's own posts, the moderation queue, access helpers.

Every read is scoped: through `Post.objects.for_community(c)` for members of a KIM, and
`Post.objects.in_moderation_scope(user)` for Diskominfo staff. The access helpers answer 404 for
a post that is missing exactly as for one that belongs to someone else.
"""

from django.db.models import F, Q, QuerySet
from django.http import Http404

from communities import permissions
from communities.models import Community
from communities.selectors import community_get_for_member
from posts.models import (
    NEEDS_ATTENTION,
    BannedTerm,
    Image,
    ModerationEvent,
    PendingPhoto,
    Post,
    PostRevision,
    Report,
)

# The moderation queue's check filter.
CHECKS_FLAGGED = "flagged"
CHECKS_CLEAN = "clean"
# The queue's KIM select lists at most this many KIMs: a national queue can span thousands (a
# select of 8,700 took 430 KB and half a second to render at 10,000 KIMs); past it, staff narrow
# the queue by region first.
KIM_CHOICES_MAX = 100
# A post's history and reports are shown up to these many: each report adds both a report and an
# event, and a visitor can send reports from many addresses (each page must stay small).
HISTORY_SHOWN = 100
REPORTS_SHOWN = 50


class Shown(list):
    """The rows a page shows, and how many more there are (`more`)."""

    def __init__(self, rows, more: int = 0) -> None:
        super().__init__(rows)
        self.more = more


def _first(queryset: QuerySet, limit: int) -> Shown:
    """The first `limit` rows of `queryset` and the count of the rest (one query; two when
    there are more)."""
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return Shown(rows)
    return Shown(rows[:limit], queryset.count() - limit)


# --- A KIM's own posts ---------------------------------------------------------------------------


def posts_for_member(*, user, community: Community) -> QuerySet[Post]:
    """The posts of the KIM the user may see on kelola: every post for editors and admins, only
    their own for contributors. Nothing for anyone without a role."""
    posts = Post.objects.for_community(community)
    if permissions.has_role(user, community, "editor"):
        return posts
    if permissions.has_role(user, community, "contributor"):
        return posts.filter(author_id=user.pk)
    return posts.none()


def post_list_for_member(*, user, community: Community, status: str = "") -> QuerySet[Post]:
    """The list page: the member's visible posts, latest change first, optionally by status."""
    posts = posts_for_member(user=user, community=community).select_related("author")
    if status:
        posts = posts.filter(status=status)
    return posts.order_by("-updated_at", "-pk")


def community_get_for_writer(*, user, slug: str) -> Community:
    """A KIM in which the user holds a role (live or suspended: the list stays readable); 404
    for anyone else, as for a missing KIM."""
    return community_get_for_member(user=user, slug=slug, action=permissions.VIEW_DASHBOARD)


def post_get_for_editor(*, user, slug: str, pk: int) -> Post:
    """A post of the KIM `slug` that the user may open in the editor; 404 otherwise (a missing
    post, another KIM's post, or for a contributor another member's post)."""
    community = community_get_for_writer(user=user, slug=slug)
    post = (
        posts_for_member(user=user, community=community)
        .select_related("author")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    post.community = community  # already read (and checked): spare the query
    return post


def post_images(post: Post) -> list[Image]:
    """The post's photos in their order (one query)."""
    return list(Image.objects.filter(community_id=post.community_id, post=post))


def pending_photos(*, community: Community, owner, token: str) -> list[PendingPhoto]:
    """The photos the user chose on one new-post form (its token) whose save was refused:
    theirs only, never another writer's (one query)."""
    if not token:
        return []
    return list(PendingPhoto.objects.filter(community=community, owner=owner, token=token))


def post_unready_photo_count(post: Post) -> int:
    """How many of the post's photos are not (yet) shown: pending, processing or failed."""
    return (
        Image.objects.filter(community_id=post.community_id, post=post)
        .exclude(status=Image.Status.READY)
        .count()
    )


def post_image_get(*, post: Post, pk: int) -> Image:
    """One photo of a post already resolved through an access helper; 404 for any other."""
    image = Image.objects.filter(community_id=post.community_id, post=post, pk=pk).first()
    if image is None:
        raise Http404
    image.post = post
    return image


def post_history(post: Post) -> Shown:
    """Who did what to the post, and why, oldest first: its latest HISTORY_SHOWN events (`more`:
    how many earlier ones are left out)."""
    events = ModerationEvent.objects.filter(community_id=post.community_id, post=post)
    newest = _first(events.select_related("actor").order_by("-created_at", "-pk"), HISTORY_SHOWN)
    return Shown(reversed(newest), newest.more)


def post_revisions_for_editor(post: Post) -> tuple[PostRevision | None, PostRevision | None]:
    """(the pending revision, the latest decided one) of a post the user already opened; one
    query, none for a post off the air, kept on the post for the rest of the request. The editor
    shows the pending text, or why the last proposal was rejected."""
    if hasattr(post, "_revisions_for_editor"):
        return post._revisions_for_editor
    pending = latest = None
    if post.status not in (Post.Status.PUBLISHED, Post.Status.SCHEDULED):
        return pending, latest
    for revision in PostRevision.objects.filter(community_id=post.community_id, post=post).order_by(
        "-created_at", "-pk"
    )[:2]:
        if revision.status == PostRevision.Status.PENDING:
            pending = revision
        elif latest is None:
            latest = revision
    post._revisions_for_editor = pending, latest
    return pending, latest


# --- Moderation ----------------------------------------------------------------------------------


def _needs_attention() -> Q:
    """Submitted posts, and published ones with reports not yet dealt with."""
    return NEEDS_ATTENTION  # the condition of its partial index, post_attention_idx


def moderation_queue(
    *,
    user,
    area: Q | None = None,
    community_id: int | None = None,
    kind: str = "",
    checks: str = "",
) -> QuerySet[Post]:
    """The items a staff admin should look at, oldest submission first; `area` narrows the
    user's scope to a region (on the post's province_id and regency_id)."""
    queue = Post.objects.in_moderation_scope(user).filter(area or Q()).filter(_needs_attention())
    if community_id:
        queue = queue.filter(community_id=community_id)
    if kind:
        queue = queue.filter(kind=kind)
    if checks == CHECKS_CLEAN:
        queue = queue.filter(checks_done=True, checks__clean=True)
    elif checks == CHECKS_FLAGGED:
        queue = queue.filter(checks_done=True).exclude(checks__clean=True)
    return queue.select_related("community").order_by(F("submitted_at").asc(nulls_first=True), "pk")


def moderation_revisions(
    *,
    user,
    area: Q | None = None,
    community_id: int | None = None,
    kind: str = "",
    checks: str = "",
) -> QuerySet[PostRevision]:
    """Pending revisions of posts on air in the staff admin's scope, oldest first (`area` is on
    the revised post's columns, as "post__province_id")."""
    revisions = PostRevision.objects.in_moderation_scope(user).filter(area or Q()).pending()
    if community_id:
        revisions = revisions.filter(community_id=community_id)
    if kind:
        revisions = revisions.filter(kind=kind)
    if checks == CHECKS_CLEAN:
        revisions = revisions.filter(checks_done=True, checks__clean=True)
    elif checks == CHECKS_FLAGGED:
        revisions = revisions.filter(checks_done=True).exclude(checks__clean=True)
    return revisions.select_related("post", "community").order_by("created_at", "pk")


def moderation_queue_communities(
    *, user, area: Q | None = None, revisions_area: Q | None = None
) -> list[tuple[int, str]] | None:
    """(id, name) of the KIMs in the user's scope (and `area`) that have items in the queue, or
    None when there are more than KIM_CHOICES_MAX (at most three queries)."""
    with_items = Post.objects.in_moderation_scope(user).filter(area or Q())
    with_items = with_items.filter(_needs_attention())
    with_revisions = PostRevision.objects.in_moderation_scope(user).filter(revisions_area or Q())
    with_revisions = with_revisions.pending()
    # The ids first (two queries on the queue's indexes), then the KIMs by primary key: an IN of
    # two subqueries joined by OR makes PostgreSQL read every KIM.
    ids: set[int] = set()
    for queryset in (with_items, with_revisions):
        distinct = queryset.order_by().values_list("community_id", flat=True).distinct()
        ids.update(distinct[: KIM_CHOICES_MAX + 1])
        if len(ids) > KIM_CHOICES_MAX:
            return None
    if not ids:
        return []
    return list(
        Community.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", "name")
    )


def post_get_for_moderator(*, user, pk: int) -> Post:
    """A post (not a draft: those belong to their KIM alone) within the staff admin's scope;
    404 otherwise, missing or foreign alike."""
    post = (
        Post.objects.in_moderation_scope(user)
        .exclude(status=Post.Status.DRAFT)
        .select_related("community__village", "author")
        .filter(pk=pk)
        .first()
    )
    if post is None or not permissions.covers(user, post.community):
        raise Http404
    return post


def revision_get_for_moderator(*, user, pk: int) -> PostRevision:
    """A revision of a post within the staff admin's scope; 404 otherwise, missing or foreign
    alike."""
    revision = (
        PostRevision.objects.in_moderation_scope(user)
        .select_related("post__community__village", "post__author", "author", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if revision is None or not permissions.covers(user, revision.post.community):
        raise Http404
    revision.community = revision.post.community
    return revision


def post_reports(post: Post) -> Shown:
    """Visitors' reports on the post, open ones first, newest first within each group: the first
    REPORTS_SHOWN (`more`: how many are left out)."""
    reports = Report.objects.filter(community_id=post.community_id, post=post).order_by(
        F("resolved_at").desc(nulls_first=True), "-created_at", "-pk"
    )
    return _first(reports, REPORTS_SHOWN)


# --- Banned terms --------------------------------------------------------------------------------


def banned_terms() -> QuerySet[BannedTerm]:
    return BannedTerm.objects.select_related("created_by").order_by("term")


def banned_term_get(*, user, pk: int) -> BannedTerm:
    """A banned term for a national admin; 404 for everyone else and for a missing term."""
    term = BannedTerm.objects.filter(pk=pk).first() if permissions.is_national_admin(user) else None
    if term is None:
        raise Http404
    return term


def banned_terms_in(text: str) -> list[str]:
    """The moderators' banned terms that occur in `text` (case-insensitive), for other apps'
    checks of what visitors send (aspirations)."""
    lowered = " ".join(text.split()).lower()
    return [t for t in BannedTerm.objects.values_list("term", flat=True) if t.lower() in lowered]
