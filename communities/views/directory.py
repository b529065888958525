"""The portal's public directory of verified KIMs: /kim/ on the portal host."""

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from communities import selectors
from communities.selectors import live_counts
from kimportal.lib import page_cache
from kimportal.lib.keyset import Keyset, keyset_page
from regions import selectors as region_selectors

PAGE_SIZE = 24
# The directory's order, walked by keyset pagination (index community_live_name_idx and the
# region variants; see kimportal.lib.keyset).
KEYSET = Keyset("name")


class DirectoryFilterForm(forms.Form):
    """GET filters: one select of a whole province or one regency (grouped by province), so a
    visitor without JavaScript filters in one submit, and a name or village search.

    The older pair of parameters (`provinsi`, `kabupaten`: region pages and pagination links use
    them) is read too: a regency alone implies its province, a regency of another province than
    the one given is dropped.
    """

    wilayah = forms.ChoiceField(label=_("Provinsi atau kabupaten/kota"), required=False)
    q = forms.CharField(
        label=_("Nama KIM atau desa/kelurahan"),
        required=False,
        max_length=100,
        widget=forms.SearchInput,
    )

    def __init__(self, data: QueryDict) -> None:
        data = data.copy()
        if not data.get("wilayah"):
            province, regency = data.get("provinsi", ""), data.get("kabupaten", "")
            if regency and (not province or regency.split(".", 1)[0] == province):
                data["wilayah"] = regency
            elif province:
                data["wilayah"] = province
        super().__init__(data)
        self.fields["wilayah"].choices = [
            ("", _("Seluruh Indonesia")),
            *region_selectors.region_choices_grouped(),
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is reported on the form and ignored)."""
        self.is_valid()
        cleaned = self.cleaned_data
        region = cleaned.get("wilayah", "")
        return {
            "province_code": region.split(".", 1)[0],
            "regency_code": region if "." in region else "",
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
