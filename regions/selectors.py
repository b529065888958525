"""Reads of the region tree for the portal pages."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from communities.models import Community
from communities.selectors import directory, live_counts
from regions.models import District, Province, Regency, Region, Village


def province_list() -> QuerySet[Province]:
    return Province.objects.annotate(child_count=Count("regencies")).order_by("name")


def province_get(*, province_slug: str) -> Province:
    return get_object_or_404(Province, slug=province_slug)


def regency_list(*, province: Province) -> QuerySet[Regency]:
    return (
        Regency.objects.filter(province=province)
        .annotate(child_count=Count("districts"))
        .order_by("name")
    )


def regency_get(*, province_slug: str, regency_slug: str) -> Regency:
    return get_object_or_404(
        Regency.objects.select_related("province"),
        province__slug=province_slug,
        slug=regency_slug,
    )


def district_list(*, regency: Regency) -> QuerySet[District]:
    return (
        District.objects.filter(regency=regency)
        .annotate(child_count=Count("villages"))
        .order_by("name")
    )


def district_get(*, province_slug: str, regency_slug: str, district_slug: str) -> District:
    return get_object_or_404(
        District.objects.select_related("regency__province"),
        regency__province__slug=province_slug,
        regency__slug=regency_slug,
        slug=district_slug,
    )


def village_list(*, district: District) -> QuerySet[Village]:
    return Village.objects.filter(district=district).order_by("name", "code")


# --- KIMs in the region tree -------------------------------------------------------------------

REGION_KIM_LIMIT = 12


@dataclass(frozen=True)
class KimCounts:
    """Verified KIMs in a region: the total and how many sit in each child region."""

    total: int
    by_child: dict[str, int]

    def annotate(self, rows: Iterable[Region]) -> None:
        """Set `kim_count` on each child row (a page of the child list)."""
        for row in rows:
            row.kim_count = self.by_child.get(row.code, 0)


def _live_counts(child_field: str, **region_filter) -> KimCounts:
    """Verified KIMs inside a region, by child region (cached: communities.selectors.live_counts).

    KIMs without that child (a Forum KIM sits at its regency or province, not in a district)
    count in the total only.
    """
    counts = live_counts(child_field, **region_filter)
    by_child = {code: n for code, n in counts.items() if code is not None}
    return KimCounts(total=sum(counts.values()), by_child=by_child)


def kim_counts_national() -> KimCounts:
    return _live_counts("province_id")


def kim_counts_in_province(province: Province) -> KimCounts:
    return _live_counts("regency_id", province_id=province.code)


def kim_counts_in_regency(regency: Regency) -> KimCounts:
    return _live_counts("district_id", regency_id=regency.code)


def kim_counts_in_district(district: District) -> KimCounts:
    return _live_counts("village_id", district_id=district.code)


def region_kims(region: Region, *, limit: int = REGION_KIM_LIMIT) -> list[Community]:
    """The first verified KIMs of a region, in directory order, for the region's page."""
    if isinstance(region, Province):
        qs = directory(province_code=region.code)
    elif isinstance(region, Regency):
        qs = directory(regency_code=region.code)
    elif isinstance(region, District):
        qs = directory().filter(district_id=region.code)
    else:
        raise TypeError(f"no KIM list for {type(region).__name__}")
    return list(qs[:limit])


VILLAGE_KIM_LIMIT = 5


def annotate_village_kims(villages: Iterable[Village]) -> None:
    """Set `kims` on each village of a page: its verified KIMs (a few), in one query.

    A village rarely has more than one or two KIMs; the limit only keeps a page bounded when one
    has many (the village's count shows the rest).
    """
    villages = list(villages)
    by_village: dict[str, list[Community]] = {v.code: [] for v in villages}
    if by_village:
        rows = (
            Community.objects.live()
            .filter(village_id__in=list(by_village))
            .only("pk", "name", "slug", "village_id")
            .order_by("village_id", "name", "pk")
        )
        for community in rows:
            kims = by_village[community.village_id]
            if len(kims) < VILLAGE_KIM_LIMIT:
                kims.append(community)
    for village in villages:
        village.kims = by_village[village.code]


def directory_query(region: Region) -> str:
    """The directory's GET filter that shows every KIM of a region (a district: its regency)."""
    if isinstance(region, Province):
        return urlencode({"provinsi": region.code})
    regency = region if isinstance(region, Regency) else region.regency
    return urlencode({"provinsi": regency.province_id, "kabupaten": regency.code})


# --- Choices for the directory's filters -----------------------------------------------------


def province_choices() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("name").values_list("code", "name"))


def region_choices_grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(province name, [(province code, "Seluruh <province>"), (regency code, name), ...])]:
    one select that picks a whole province or one regency, in one query."""
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    rows = Regency.objects.order_by("province__name", "province_id", "name", "code").values_list(
        "code", "name", "province_id", "province__name"
    )
    for code, name, province_code, province_name in rows:
        if province_code not in groups:
            everything = gettext("Seluruh %(province)s") % {"province": province_name}
            groups[province_code] = (province_name, [(province_code, everything)])
        groups[province_code][1].append((code, name))
    return list(groups.values())


def regency_choices(*, province_code: str) -> list[tuple[str, str]]:
    if not province_code:
        return []
    return list(
        Regency.objects.filter(province_id=province_code)
        .order_by("name")
        .values_list("code", "name")
    )
