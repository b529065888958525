"""The search forms (GET): the portal's, with region filters, and a subsite's."""

import dataclasses
import datetime

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from posts.models import Post
from posts.search import PostFilters
from regions.forms import RegionFilterForm

QUERY_MAX = 100


class SubsiteSearchForm(forms.Form):
    """Words, kind and dates. An invalid filter is reported on the form and left out of the
    search, never turned into an error page."""

    q = forms.CharField(
        label=_("Kata kunci"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    jenis = forms.ChoiceField(label=_("Jenis tulisan"), required=False)
    dari = forms.DateField(
        label=_("Tayang sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Tayang sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data.copy())
        self.fields["jenis"].choices = [("", _("Semua jenis")), *Post.Kind.choices]

    def full_clean(self) -> None:
        super().full_clean()
        # A date input may only hold a valid date (HTML): an invalid one is reported, not echoed.
        for name in ("dari", "sampai"):
            if name in self._errors:
                self.data[name] = ""

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and start > end:
            self.add_error("sampai", _("Tanggal akhir harus sesudah tanggal awal."))
        return cleaned

    def _valid(self, name: str):
        """A field's value when it is valid, else its empty value."""
        if not self.is_bound:
            return None
        self.is_valid()
        return None if name in self.errors else self.cleaned_data.get(name)

    def query(self) -> str:
        return " ".join((self._valid("q") or "").split())

    def filters(self) -> PostFilters:
        return PostFilters(
            kind=self._valid("jenis") or "",
            date_from=self._valid("dari"),
            date_to=self._valid("sampai"),
        )

    def applied(self) -> QueryDict:
        """The search as it was applied, for the links to other pages of results."""
        applied = QueryDict(mutable=True)
        for name in self.fields:
            value = self._valid(name)
            if value:
                applied[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return applied


class PortalSearchForm(RegionFilterForm, SubsiteSearchForm):
    """Also by province and regency. Without JavaScript a visitor picks a province and searches,
    then picks a regency: a regency left over from another province is dropped (as the
    directory's filter does)."""

    field_order = ["q", "jenis", "provinsi", "kabupaten", "dari", "sampai"]

    def filters(self) -> PostFilters:
        return dataclasses.replace(
            super().filters(),
            province_code=self._valid("provinsi") or "",
            regency_code=self._valid("kabupaten") or "",
        )
