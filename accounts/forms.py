from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Email atau kata sandi salah. Periksa kembali, lalu coba lagi."),
        "inactive": _("Akun ini dinonaktifkan. Hubungi admin KIM atau Diskominfo Anda."),
    }
