from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from regions import selectors

PAGE_SIZE = 60


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def province_index(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.province_list())
    return render(request, "regions/province_index.html", {"page": page})


def province_detail(request: HttpRequest, province_slug: str) -> HttpResponse:
    province = selectors.province_get(province_slug=province_slug)
    page = _page(request, selectors.regency_list(province=province))
    return render(request, "regions/province_detail.html", {"region": province, "page": page})


def regency_detail(request: HttpRequest, province_slug: str, regency_slug: str) -> HttpResponse:
    regency = selectors.regency_get(province_slug=province_slug, regency_slug=regency_slug)
    page = _page(request, selectors.district_list(regency=regency))
    return render(request, "regions/regency_detail.html", {"region": regency, "page": page})


def district_detail(
    request: HttpRequest, province_slug: str, regency_slug: str, district_slug: str
) -> HttpResponse:
    district = selectors.district_get(
        province_slug=province_slug, regency_slug=regency_slug, district_slug=district_slug
    )
    page = _page(request, selectors.village_list(district=district))
    return render(request, "regions/district_detail.html", {"region": district, "page": page})
