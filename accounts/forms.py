from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffScope, User
from regions.models import Province, Regency


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class SignInForm(AuthenticationForm):
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Email atau kata sandi salah. Periksa kembali, lalu coba lagi."),
        "inactive": _("Akun ini dinonaktifkan. Hubungi admin KIM atau Diskominfo Anda."),
    }


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.province.name})"


class StaffScopeForm(forms.Form):
    """A national admin gives someone a Diskominfo scope (accounts.services.staff_scope_add)."""

    email = forms.EmailField(
        label=_("Email pengguna"),
        help_text=_("Orangnya harus sudah punya akun di kim.id."),
        error_messages={
            "required": _("Isi email pengguna."),
            "invalid": _("Alamat email tidak valid."),
        },
    )
    level = forms.ChoiceField(
        label=_("Tingkat"),
        choices=StaffScope.Level.choices,
        error_messages={
            "required": _("Pilih tingkatnya."),
            "invalid_choice": _("Pilih tingkat dari daftar."),
        },
    )
    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        required=False,
        queryset=Province.objects.order_by("name"),
        empty_label=_("— pilih provinsi (untuk tingkat provinsi) —"),
        error_messages={"invalid_choice": _("Pilih provinsi dari daftar.")},
    )
    regency = RegencyChoiceField(
        label=_("Kabupaten/kota"),
        required=False,
        queryset=Regency.objects.select_related("province").order_by("province__name", "name"),
        empty_label=_("— pilih kabupaten/kota (untuk tingkat kabupaten/kota) —"),
        error_messages={"invalid_choice": _("Pilih kabupaten/kota dari daftar.")},
    )
