"""Reads of the region tree for the portal pages."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from regions.models import District, Province, Regency, Village


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
