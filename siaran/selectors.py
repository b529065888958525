"""Reads of siaran: staff lists and access, a KIM's inbox, the report, the portal pages."""

from dataclasses import dataclass

from django.db.models import Count, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from communities import permissions as community_permissions
from communities.models import Community
from communities.selectors import community_get_for_member
from posts.models import Post
from regions.models import Province, Regency
from siaran import permissions
from siaran.models import InboxState, Relay, Siaran, SiaranImage
from stats.models import PostVisitDay

# --- Staff ---------------------------------------------------------------------------------------


def siaran_for_staff(*, user) -> QuerySet[Siaran]:
    region = permissions.visible_filter(user)
    if region is None:
        return Siaran.objects.none()
    ids = Siaran.objects.filter(region).values("pk")
    return Siaran.objects.filter(pk__in=ids).order_by("-created_at", "-pk")


def siaran_get_for_staff(*, user, pk: int) -> Siaran:
    """A siaran the user's scopes reach; 404 for a missing one exactly as for another area's."""
    siaran = Siaran.objects.filter(pk=pk).prefetch_related("provinces", "regencies").first()
    if siaran is None or not permissions.can(user, permissions.VIEW, siaran):
        raise Http404
    return siaran


def target_communities(siaran: Siaran) -> QuerySet[Community]:
    national, provinces, regencies = permissions._target(siaran)
    communities = Community.objects.live()
    if not national:
        communities = communities.filter(Q(province_id__in=provinces) | Q(regency_id__in=regencies))
    return communities


@dataclass
class Report:
    communities: QuerySet  # live KIMs of the viewer's area in the target, annotated
    totals: list[dict]  # per province or regency: name, kims, relayed, published, visits
    level: str  # "province" or "regency"
    kims: int
    relayed: int
    published: int
    visits: int


def siaran_report(*, siaran: Siaran, user) -> Report:
    """What the viewer may see of the siaran's reach: their area's KIMs in the target (a lazy
    queryset for the paginator, one row per KIM with its relay and visits) and GROUP BY totals."""
    area = permissions.area_filter(user)
    communities = target_communities(siaran).filter(area)
    relays = Relay.objects.filter(siaran=siaran, community_id=OuterRef("pk"))
    visits = (
        PostVisitDay.objects.filter(post_id=OuterRef("relay_post_id"))
        .order_by()
        .values("post_id")
        .annotate(total=Sum("count"))
        .values("total")
    )
    annotated = (
        communities.select_related("regency")
        .annotate(
            relay_post_id=Subquery(relays.values("post_id")[:1]),
            relay_at=Subquery(relays.values("created_at")[:1], output_field=DateTimeField()),
            relay_status=Subquery(relays.values("post__status")[:1]),
            relay_slug=Subquery(relays.values("post__slug")[:1]),
        )
        .annotate(visits=Coalesce(Subquery(visits), 0))
        .order_by("name", "pk")
    )
    level = permissions.group_level(user)
    key = "province_id" if level == "province" else "regency_id"
    kims = dict(communities.order_by().values_list(key).annotate(n=Count("pk")))
    relay_area = permissions.area_filter(user)
    relay_rows = (
        Relay.objects.filter(siaran=siaran, community__status=Community.Status.VERIFIED)
        .filter(relay_area)
        .order_by()
        .values(key)
        .annotate(
            relayed=Count("pk"),
            published=Count("pk", filter=Q(post__status=Post.Status.PUBLISHED)),
        )
    )
    relayed = {row[key]: row for row in relay_rows}
    visit_rows = (
        PostVisitDay.objects.filter(post__siaran_relay__siaran=siaran)
        .filter(permissions.area_filter(user, prefix="post__"))
        .order_by()
        .values(f"post__{key}")
        .annotate(total=Sum("count"))
    )
    visit_totals = {row[f"post__{key}"]: row["total"] for row in visit_rows}
    model = Province if level == "province" else Regency
    names = dict(model.objects.filter(pk__in=kims).values_list("pk", "name"))
    totals = [
        {
            "name": names.get(code, code),
            "kims": n,
            "relayed": relayed.get(code, {}).get("relayed", 0),
            "published": relayed.get(code, {}).get("published", 0),
            "visits": visit_totals.get(code, 0) or 0,
        }
        for code, n in sorted(kims.items(), key=lambda item: names.get(item[0], "") or "")
    ]
    return Report(
        communities=annotated,
        totals=totals,
        level=level,
        kims=sum(kims.values()),
        relayed=sum(t["relayed"] for t in totals),
        published=sum(t["published"] for t in totals),
        visits=sum(t["visits"] for t in totals),
    )


# --- A KIM's inbox -------------------------------------------------------------------------------


def community_get_for_inbox(*, user, slug: str) -> Community:
    """A KIM in which the user holds a role and that is live; 404 otherwise."""
    community = community_get_for_member(
        user=user, slug=slug, action=community_permissions.VIEW_DASHBOARD
    )
    if not community.is_live:
        raise Http404
    return community


def inbox(*, community: Community) -> QuerySet[Siaran]:
    """The KIM's current siaran, newest first, with whether it has relayed each (and the post)."""
    relays = Relay.objects.filter(siaran_id=OuterRef("pk"), community=community)
    return (
        Siaran.objects.for_community(community)
        .annotate(
            relayed=Exists(relays),
            relay_post_id=Subquery(relays.values("post_id")[:1]),
        )
        .order_by("-inbox_at", "-pk")
    )


def inbox_get(*, community: Community, pk: int) -> Siaran:
    siaran = inbox(community=community).filter(pk=pk).first()
    if siaran is None:
        raise Http404
    return siaran


def inbox_new_count(community: Community) -> int:
    """Siaran that reached the inbox since it was last opened (one query)."""
    seen = InboxState.objects.filter(community_id=community.pk).values("seen_until")[:1]
    return (
        Siaran.objects.for_community(community)
        .filter(inbox_at__gt=Coalesce(Subquery(seen), community.verified_at or timezone.now()))
        .count()
    )


# --- The portal ----------------------------------------------------------------------------------


def portal_current() -> QuerySet[Siaran]:
    return Siaran.objects.current().order_by("-inbox_at", "-pk")


def portal_get(*, pk: int) -> Siaran:
    """A published siaran (valid or past: relayed posts link to it); 404 otherwise."""
    siaran = Siaran.objects.published().filter(pk=pk).first()
    if siaran is None:
        raise Http404
    return siaran


def portal_images(siaran: Siaran) -> list[SiaranImage]:
    return [
        image
        for image in SiaranImage.objects.filter(siaran=siaran, status=SiaranImage.Status.READY)
        if image.renditions
    ]


def portal_relays(siaran: Siaran, *, limit: int = 200) -> list[Relay]:
    """Relays whose post is public (published, not hidden, due) in a live KIM."""
    return list(
        Relay.objects.filter(
            siaran=siaran,
            post__in=Post.objects.public(),
        )
        .select_related("community", "post", "regency")
        .only(
            "pk", "community__name", "community__slug", "post__slug", "post__title",
            "post__published_at", "regency__name",
        )
        .order_by("community__name", "pk")[:limit]
    )  # fmt: skip
