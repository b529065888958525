"""Reads of aspirations: public lists and pages, the queues, access helpers, dashboard counts.

Access helpers answer 404 for a missing aspirasi and for one the user may not work alike.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from aspirations import permissions as asp_permissions
from aspirations.models import OPEN_STATUSES, Aspirasi, AspirasiEvent
from aspirations.services import deadline_days
from communities import permissions
from communities.models import Community
from communities.selectors import community_get_for_member
from kimportal.lib.keyset import Keyset, KeysetPage, keyset_page
from regions.models import Province, Regency

PUBLIC_PAGE_SIZE = 20
LIST_KEYSET = Keyset("created_at", descending=True, kind=datetime)


# --- Public ------------------------------------------------------------------------------------


def public_page(
    *,
    params: QueryDict,
    province_id: str = "",
    regency_id: str = "",
    community_id: int | None = None,
    topic: str = "",
) -> KeysetPage:
    """Public aspirations, newest first, keyset-paginated: one query whatever the depth."""
    queryset = Aspirasi.objects.listed().select_related("regency", "village", "community")
    if community_id is not None:
        queryset = queryset.filter(community_id=community_id)
    elif regency_id:
        queryset = queryset.filter(regency_id=regency_id)
    elif province_id:
        queryset = queryset.filter(province_id=province_id)
    if topic:
        queryset = queryset.filter(topic=topic)
    return keyset_page(queryset, LIST_KEYSET, size=PUBLIC_PAGE_SIZE, params=params)


def region_filter_choices() -> list:
    """Provinces, each followed by its regencies, as <optgroup>s of the list's region filter."""
    groups: dict[str, list] = {}
    names: dict[str, str] = dict(Province.objects.values_list("code", "name"))
    for code in sorted(names, key=names.get):
        groups[names[code]] = [(code, names[code])]
    for code, name, province in Regency.objects.order_by("name").values_list(
        "code", "name", "province_id"
    ):
        groups[names[province]].append((code, f"— {name}"))
    return list(groups.items())


def public_get(*, pk: int) -> Aspirasi:
    """A public aspirasi (merged ones too: their page points to the one they repeat)."""
    aspirasi = (
        Aspirasi.objects.public()
        .select_related("regency", "province", "village", "community", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if aspirasi is None:
        raise Http404
    return aspirasi


def public_events(aspirasi: Aspirasi) -> QuerySet[AspirasiEvent]:
    """The steps anyone may see: no actor, no internal note."""
    return AspirasiEvent.objects.filter(
        regency_id=aspirasi.regency_id, aspirasi=aspirasi, is_public=True
    ).only("action", "public_text", "created_at", "aspirasi_id")


# --- Queues ------------------------------------------------------------------------------------


def overdue_cutoff() -> datetime:
    return timezone.now() - timedelta(days=deadline_days())


def _filtered(queryset: QuerySet, *, status: str, topic: str, overdue: bool) -> QuerySet:
    if status == "terbuka":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status == "spam":
        queryset = queryset.filter(is_spam=True)
    elif status:
        queryset = queryset.filter(status=status, is_spam=False)
    if topic:
        queryset = queryset.filter(topic=topic)
    if overdue:
        queryset = queryset.filter(status__in=OPEN_STATUSES, acted_at__lt=overdue_cutoff())
    return queryset.select_related("community", "regency", "village").order_by("created_at", "pk")


def staff_queue(*, user, status: str = "terbuka", topic: str = "", overdue: bool = False):
    """Aspirations to regencies in the user's scopes and to KIMs there, oldest first."""
    return _filtered(
        Aspirasi.objects.in_staff_scope(user), status=status, topic=topic, overdue=overdue
    )


def kim_queue(*, community: Community, status: str = "terbuka", topic: str = "", overdue=False):
    return _filtered(
        Aspirasi.objects.for_community(community), status=status, topic=topic, overdue=overdue
    )


def kim_for_queue(*, user, slug: str) -> Community:
    """A KIM whose queue the user works (its admins and editors); 404 otherwise."""
    community = community_get_for_member(user=user, slug=slug, action=permissions.VIEW_DASHBOARD)
    if not asp_permissions.can(user, asp_permissions.WORK_KIM_QUEUE, community):
        raise Http404
    return community


def _detail_queryset():
    return Aspirasi.objects.select_related(
        "community", "regency", "province", "village__district", "duplicate_of"
    )


def get_for_staff(*, user, pk: int) -> Aspirasi:
    aspirasi = _detail_queryset().in_staff_scope(user).filter(pk=pk).first()
    if aspirasi is None:
        raise Http404
    return aspirasi


def get_for_kim(*, user, community: Community, pk: int) -> Aspirasi:
    aspirasi = _detail_queryset().for_community(community).filter(pk=pk).first()
    if aspirasi is None or not asp_permissions.can(user, asp_permissions.WORK, aspirasi):
        raise Http404
    return aspirasi


def history(aspirasi: Aspirasi) -> QuerySet[AspirasiEvent]:
    return AspirasiEvent.objects.filter(
        regency_id=aspirasi.regency_id, aspirasi=aspirasi
    ).select_related("actor")


def merge_target(*, user, aspirasi: Aspirasi, number: int) -> Aspirasi | None:
    """The aspirasi of that number if the user may merge into it (else None, missing alike)."""
    target = Aspirasi.objects.filter(pk=number, regency_id=aspirasi.regency_id).first()
    if target is None or not asp_permissions.may_merge(user, aspirasi, target):
        return None
    return target


# --- Dashboards --------------------------------------------------------------------------------


def kim_open_count(community: Community) -> int:
    return Aspirasi.objects.for_community(community).open().count()


def staff_counts(user) -> dict[str, int]:
    """Open and overdue aspirations in the user's scope, in one query."""
    return (
        Aspirasi.objects.in_staff_scope(user)
        .open()
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(acted_at__lt=overdue_cutoff())))
    )
