"""Forms of a person's own account page: changing the password and deleting the account.

Both ask for the current password through django.contrib.auth.authenticate(), so a wrong one
counts as a failed sign-in in the sign-in throttle (accounts.throttle): a stolen session cannot
be used to guess the password without limit.
"""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordChangeForm as BasePasswordChangeForm
from django.contrib.auth.forms import SetPasswordForm as BaseSetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User

DELETE_WORD = "HAPUS"


def password_confirms(request: HttpRequest, user: User, password: str) -> bool:
    """Is `password` the user's current one? Asked as a sign-in would be (throttled)."""
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


class PlainHelpMixin:
    """The password rules as one sentence: Django's help is a <ul>, which the house field
    template (a <p class="help">, linked by aria-describedby) cannot hold."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )


class SetPasswordForm(PlainHelpMixin, BaseSetPasswordForm):
    """A new password from a reset link."""


class PasswordChangeForm(PlainHelpMixin, BasePasswordChangeForm):
    error_messages = {
        **BasePasswordChangeForm.error_messages,
        "password_incorrect": _("Kata sandi lama salah. Periksa kembali, lalu coba lagi."),
    }

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_confirms(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Isi kata sandi Anda.")},
    )
    confirmation = forms.CharField(
        label=_("Ketik HAPUS untuk memastikan"),
        help_text=_("Huruf besar semua, tanpa tanda kutip."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("Ketik HAPUS untuk memastikan.")},
    )

    def __init__(self, *args, request: HttpRequest, user: User, **kwargs) -> None:
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed != DELETE_WORD:
            raise forms.ValidationError(
                _("Ketik HAPUS (huruf besar) untuk memastikan akun Anda dihapus."), code="word"
            )
        return typed

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_confirms(self.request, self.user, password):
            raise forms.ValidationError(
                _("Kata sandi salah. Periksa kembali, lalu coba lagi."), code="password"
            )
        return password
