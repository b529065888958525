"""The province and regency filter that public lists share (the directory, search)."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from regions import selectors


class RegionFilterForm(forms.Form):
    """GET filters by province and regency; the regency select offers only the chosen province's.

    A regency alone implies its province. A regency left over from another province (a visitor
    changed the province without JavaScript) is dropped rather than reported as an error.
    """

    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    kabupaten = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)

    def __init__(self, data: QueryDict) -> None:
        data = data.copy()
        province = data.get("provinsi", "")
        regency = data.get("kabupaten", "")
        if regency and not province:
            # A regency code starts with its province's code ("35.78" is in "35").
            province = data["provinsi"] = regency.split(".", 1)[0]
        super().__init__(data)
        provinces = selectors.province_choices()
        regencies = (
            selectors.regency_choices(province_code=province)
            if province in {code for code, _name in provinces}
            else []
        )
        if regency and regency not in {code for code, _name in regencies}:
            self.data.pop("kabupaten")
        self.fields["provinsi"].choices = [("", _("Semua provinsi")), *provinces]
        self.fields["kabupaten"].choices = [("", _("Semua kabupaten/kota")), *regencies]
