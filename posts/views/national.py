"""The portal's national lists: every KIM's hoax clarifications (/hoaks/) and UMKM products
(/umkm/), filtered by GET forms (no CSRF token, no cookie) and keyset-paginated.

Both pages are cached whole under the national scope: any post published, changed or taken down
anywhere bumps it (posts.models), which is what a list across every KIM needs.
"""

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kimportal.lib import page_cache
from posts import public_selectors
from posts.models import Post
from regions.forms import RegionFilterForm

_REGENCY_HELP = _("Pilih provinsi, tekan Terapkan, lalu pilih kabupaten/kota.")


class _NationalFilterForm(RegionFilterForm):
    """A list's own filter, then the region (see RegionFilterForm)."""

    own_filter = ""  # the name of the list's own field

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.fields["kabupaten"].help_text = _REGENCY_HELP
        self.order_fields([self.own_filter, "provinsi", "kabupaten"])

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is reported on the form and ignored)."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            self.own_filter: cleaned.get(self.own_filter, ""),
            "province_code": cleaned.get("provinsi", ""),
            "regency_code": cleaned.get("kabupaten", ""),
        }

    def query(self) -> QueryDict:
        """The applied filters as the pagination links carry them."""
        query = QueryDict(mutable=True)
        for name in (self.own_filter, "provinsi", "kabupaten"):
            value = self.cleaned_data.get(name, "")
            if value:
                query[name] = value
        return query


class HoaxFilterForm(_NationalFilterForm):
    own_filter = "putusan"
    putusan = forms.ChoiceField(
        label=_("Putusan"),
        required=False,
        choices=[("", _("Semua putusan")), *Post.Verdict.choices],
        error_messages={"invalid_choice": _("Pilih putusan dari daftar.")},
    )


class UmkmFilterForm(_NationalFilterForm):
    own_filter = "kategori"
    kategori = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        choices=[("", _("Semua kategori")), *Post.UmkmCategory.choices],
        error_messages={"invalid_choice": _("Pilih kategori dari daftar.")},
    )


def _render(request: HttpRequest, template: str, form, page) -> HttpResponse:
    query = form.query()
    response = render(
        request, template, {"form": form, "page": page, "query": query, "filtered": bool(query)}
    )
    return page_cache.public_page(response, page_cache.NATIONAL)


def hoax_list(request: HttpRequest) -> HttpResponse:
    form = HoaxFilterForm(request.GET)
    filters = form.filters()
    page = public_selectors.hoax_list_page(
        verdict=filters["putusan"],
        province_code=filters["province_code"],
        regency_code=filters["regency_code"],
        params=request.GET,
    )
    return _render(request, "posts/national/hoaks.html", form, page)


def umkm_list(request: HttpRequest) -> HttpResponse:
    form = UmkmFilterForm(request.GET)
    filters = form.filters()
    page = public_selectors.umkm_list_page(
        category=filters["kategori"],
        province_code=filters["province_code"],
        regency_code=filters["regency_code"],
        params=request.GET,
    )
    return _render(request, "posts/national/umkm.html", form, page)
