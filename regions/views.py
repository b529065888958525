from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kimportal.lib import page_cache
from posts import public_selectors
from regions import selectors
from stats import selectors as stats_selectors
from stats.models import PAGE_SCOPE as STATS_SCOPE

PAGE_SIZE = 60


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _region_context(region, page, counts: selectors.KimCounts) -> dict:
    counts.annotate(page)
    return {
        "region": region,
        "page": page,
        "kim_total": counts.total,
        "kims": selectors.region_kims(region) if counts.total else [],
        "directory_query": selectors.directory_query(region),
        "region_posts": public_selectors.region_latest(region=region),
    }


def province_index(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.province_list())
    counts = selectors.kim_counts_national()
    counts.annotate(page)
    response = render(
        request,
        "regions/province_index.html",
        {"page": page, "kim_total": counts.total, "kim_provinces": len(counts.by_child)},
    )
    return page_cache.public_page(response, page_cache.NATIONAL)


def province_detail(request: HttpRequest, province_slug: str) -> HttpResponse:
    province = selectors.province_get(province_slug=province_slug)
    page = _page(request, selectors.regency_list(province=province))
    counts = selectors.kim_counts_in_province(province)
    context = _region_context(province, page, counts)
    context["stats"] = stats_selectors.province_stats(province)
    response = render(request, "regions/province_detail.html", context)
    return page_cache.public_page(response, page_cache.province_scope(province.code), STATS_SCOPE)


def regency_detail(request: HttpRequest, province_slug: str, regency_slug: str) -> HttpResponse:
    regency = selectors.regency_get(province_slug=province_slug, regency_slug=regency_slug)
    page = _page(request, selectors.district_list(regency=regency))
    counts = selectors.kim_counts_in_regency(regency)
    context = _region_context(regency, page, counts)
    context["stats"] = stats_selectors.regency_stats(regency)
    response = render(request, "regions/regency_detail.html", context)
    return page_cache.public_page(response, page_cache.regency_scope(regency.code), STATS_SCOPE)


def district_detail(
    request: HttpRequest, province_slug: str, regency_slug: str, district_slug: str
) -> HttpResponse:
    district = selectors.district_get(
        province_slug=province_slug, regency_slug=regency_slug, district_slug=district_slug
    )
    page = _page(request, selectors.village_list(district=district))
    counts = selectors.kim_counts_in_district(district)
    selectors.annotate_village_kims(page)
    response = render(
        request, "regions/district_detail.html", _region_context(district, page, counts)
    )
    # A district's KIMs and posts are its regency's: a change there bumps the regency's scope.
    return page_cache.public_page(response, page_cache.regency_scope(district.regency_id))
