"""The portal's public directory of verified KIMs: /kim/ on the portal host."""

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from communities import selectors
from communities.selectors import live_counts
from kimportal.lib import page_cache
from kimportal.lib.keyset import Keyset, keyset_page
from regions.forms import RegionFilterForm

PAGE_SIZE = 24
# The directory's order, walked by keyset pagination (index community_live_name_idx and the
# region variants; see kimportal.lib.keyset).
KEYSET = Keyset("name")


class DirectoryFilterForm(RegionFilterForm):
    """GET filters (see RegionFilterForm). Without JavaScript a visitor picks a province and
    submits, then picks a regency."""

    kabupaten = forms.ChoiceField(
        label=_("Kabupaten/kota"),
        required=False,
        help_text=_("Pilih provinsi, tekan Terapkan, lalu pilih kabupaten/kota."),
    )
    q = forms.CharField(
        label=_("Nama KIM atau desa/kelurahan"),
        required=False,
        max_length=100,
        widget=forms.SearchInput,
    )

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is reported on the form and ignored)."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "province_code": cleaned.get("provinsi", ""),
            "regency_code": cleaned.get("kabupaten", ""),
            "query": cleaned.get("q", "").strip(),
        }


def _total(filters: dict[str, str], queryset) -> int:
    """How many KIMs the directory lists: the cached region counts, unless a search narrows it."""
    if filters["query"]:
        return queryset.count()
    if filters["regency_code"]:
        return sum(live_counts("district_id", regency_id=filters["regency_code"]).values())
    if filters["province_code"]:
        return sum(live_counts("regency_id", province_id=filters["province_code"]).values())
    return sum(live_counts("province_id").values())


def index(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    queryset = selectors.directory(**filters)
    page = keyset_page(queryset, KEYSET, size=PAGE_SIZE, params=request.GET)
    # Pagination links carry the filters as they were applied.
    query = QueryDict(mutable=True)
    for key, value in (
        ("provinsi", filters["province_code"]),
        ("kabupaten", filters["regency_code"]),
        ("q", filters["query"]),
    ):
        if value:
            query[key] = value
    response = render(
        request,
        "communities/directory.html",
        {
            "form": form,
            "page": page,
            "total": _total(filters, queryset),
            "query": query,
            "filtered": any(filters.values()),
        },
    )
    return page_cache.public_page(response, page_cache.NATIONAL)
