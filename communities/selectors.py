"""Reads of communities: host lookup (cached), access helpers, lists and counts."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from communities import permissions
from communities.models import (
    LIVE_COUNTS,
    Community,
    CommunitySlugRedirect,
    Invitation,
    Member,
    VerificationEvent,
)
from communities.search import name_or_village_filter
from kimportal.lib import count_cache

HOST_CACHE_SECONDS = 300
HOST_MISS_CACHE_SECONDS = 60
_MISSING = "missing"


def _host_cache_key(slug: str) -> str:
    return f"site:community:{slug}"


def community_for_host(slug: str) -> Community | None:
    """The community a subdomain names, by current or former slug; cached per slug.

    One indexed query on a cache miss (the former-slug lookup is a subquery of the same statement),
    none on a hit. The caller checks `status` and whether `slug` is current (else: redirect).
    """
    key = _host_cache_key(slug)
    cached = cache.get(key)
    if cached == _MISSING:
        return None
    if cached is not None:
        return cached
    # A scalar subquery (evaluated once, before the scan) lets PostgreSQL combine the two
    # unique indexes (slug, pk) instead of filtering every row.
    former = CommunitySlugRedirect.objects.filter(old_slug=slug).values("community_id")[:1]
    # No ORDER BY: at most one row matches (a current slug is never another KIM's former one).
    rows = list(
        Community.objects.select_related("village", "district", "regency", "province")
        .filter(Q(slug=slug) | Q(pk=Subquery(former)))
        .order_by()[:1]
    )
    community = rows[0] if rows else None
    if community is None:
        cache.set(key, _MISSING, HOST_MISS_CACHE_SECONDS)
    else:
        cache.set(key, community, HOST_CACHE_SECONDS)
    return community


def community_host_cache_clear(community: Community) -> None:
    """Forget the cached host lookups of a community (its slug and every former slug) once the
    change commits: a request between the write and the commit reads, and may cache, the old row,
    so forgetting earlier could leave a suspended KIM cached as live."""
    keys = [_host_cache_key(s) for s in community.old_slugs.values_list("old_slug", flat=True)]
    if community.slug:
        keys.append(_host_cache_key(community.slug))
    transaction.on_commit(lambda: cache.delete_many(keys))


def community_get_for_review(*, user, pk: int) -> Community:
    """A community for a staff admin whose scope covers it; 404 otherwise (missing or foreign)."""
    community = (
        Community.objects.visible_to(user)
        .select_related("village", "district", "regency", "province", "applicant")
        .filter(pk=pk)
        .first()
    )
    if community is None or not permissions.can(user, permissions.REVIEW, community):
        raise Http404
    return community


def community_get_for_member(*, user, slug: str, action: str) -> Community:
    """A community in which the user may do `action`; 404 otherwise, foreign or missing alike."""
    community = (
        Community.objects.managed_by(user)
        .select_related("village", "district", "regency", "province")
        .filter(slug=slug)
        .first()
    )
    if community is None or not permissions.can(user, action, community):
        raise Http404
    return community


def application_get(*, user, pk: int) -> Community:
    """A sign-up the user may still edit (draft or rejected); 404 otherwise."""
    community = (
        Community.objects.applications_of(user)
        .select_related("village__district__regency__province")
        .filter(pk=pk)
        .first()
    )
    if community is None:
        raise Http404
    return community


def verification_queue(*, user) -> QuerySet[Community]:
    """Pending KIMs within the user's scope, oldest submission first."""
    return (
        Community.objects.visible_to(user)
        .filter(status=Community.Status.PENDING)
        .select_related("village", "district", "regency", "province")
        .annotate(member_count=Count("members"))
        .order_by("submitted_at", "pk")
    )


def directory(
    *, province_code: str = "", regency_code: str = "", query: str = ""
) -> QuerySet[Community]:
    """Verified KIMs for the public directory, filtered and searched."""
    qs = Community.objects.live().select_related("village", "regency", "province")
    if province_code:
        qs = qs.filter(province_id=province_code)
    if regency_code:
        qs = qs.filter(regency_id=regency_code)
    if query:
        qs = qs.filter(name_or_village_filter(query))  # trigram-indexed on PostgreSQL
    return qs.order_by("name", "pk")


# --- Counts of verified KIMs ----------------------------------------------------------------
# The portal, the region pages and the directory show how many verified KIMs a region has. At
# 80,000 KIMs a grouped COUNT costs tens of milliseconds, so counts are cached (Redis), one
# generation at a time (kimportal.lib.count_cache): the model layer starts a new generation when
# a KIM enters or leaves the verified status (Community.save, CommunityQuerySet.update), after
# the change commits. Writes that bypass the ORM (bulk loads, raw SQL) are caught up by the
# entries' lifetime. With Redis down, counts come from the database, as before.
LIVE_COUNTS_SECONDS = 6 * 60 * 60


def live_counts(child_field: str, **region_filter: str) -> dict[str | None, int]:
    """Verified KIMs matching `region_filter`, by `child_field`: {child code or None: count}.

    KIMs without that child (a Forum KIM sits at its regency or province, not in a district)
    count under None. Cached (see above); one grouped query on a miss.
    """
    generation = count_cache.generation(LIVE_COUNTS)
    filter_part = ",".join(f"{k}={v}" for k, v in sorted(region_filter.items()))
    key = f"kimcounts:{generation}:{child_field}:{filter_part}"
    counts = cache.get(key) if generation is not None else None
    if counts is None:
        rows = (
            Community.objects.live()
            .filter(**region_filter)
            .order_by()
            .values(child_field)
            .annotate(n=Count("pk"))
            .values_list(child_field, "n")
        )
        counts = dict(rows)
        if generation is not None:
            cache.set(key, counts, LIVE_COUNTS_SECONDS)
    return counts


def public_roster(community: Community) -> QuerySet[Member]:
    """The public roster: ketua, sekretaris, bendahara first, then seksi and anggota.

    Only the public columns are loaded; phone numbers and linked accounts stay private.
    """
    rank = Case(
        *(When(position=p, then=Value(i)) for p, i in Member.POSITION_ORDER.items()),
        default=Value(len(Member.POSITION_ORDER)),
        output_field=IntegerField(),
    )
    return (
        community.members.only("name", "position", "position_detail", "community_id")
        .annotate(rank=rank)
        .order_by("rank", "sort_order", "name", "pk")
    )


def community_review_list(
    *, user, status: str = "", query: str = "", province: str = ""
) -> QuerySet[Community]:
    """Every KIM in the user's scope except unfinished drafts, optionally filtered.

    Scoping comes from `visible_to`; this only narrows it.
    """
    qs = (
        Community.objects.visible_to(user)
        .exclude(status=Community.Status.DRAFT)
        .select_related("village", "district", "regency", "province")
    )
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(province_id=province)
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.order_by("name", "pk")


def community_suspension_reason(community: Community) -> str:
    """Why the KIM is suspended: the reason of its latest suspension."""
    event = (
        community.verification_events.filter(action=VerificationEvent.Action.SUSPENDED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.reason if event else ""


def invitation_list_open(*, community: Community) -> QuerySet[Invitation]:
    """Invitations of the KIM that can still be accepted."""
    return community.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")
