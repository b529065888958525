"""The staff dashboard's filter form (statistik/ on kelola): shown, not trusted.

The view resolves ?wilayah= and the part filter itself (a region outside the user's scopes is a
404, never a form error); this form only renders the choices with the current values selected.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from stats.dashboards import AreaOptions


class DashboardFilterForm(forms.Form):
    wilayah = forms.ChoiceField(label=_("Wilayah"), required=False)
    dorman = forms.BooleanField(label=_("Hanya KIM dorman (tanpa kabar 90 hari)"), required=False)
    urut = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, options: AreaOptions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = options.areas
        self.part_name = options.part_param
        if options.part_param:
            self.fields[options.part_param] = forms.ChoiceField(
                label=options.part_label,
                required=False,
                choices=[("", _("Semua")), *options.parts],
            )

    @property
    def part(self):
        return self[self.part_name] if self.part_name else None
