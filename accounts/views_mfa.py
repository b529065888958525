"""Two-step sign-in screens on kelola: the second step, set-up, recovery codes, turning it off.

Every screen acts on the signed-in person's own authenticator and codes only: no URL names a
device, and the secret being set up lives in the session (accounts.mfa).
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import mfa

_CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}


class SecondStepForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        help_text=gettext_lazy(
            "6 angka yang sedang tampil di aplikasi autentikator, atau salah satu kode cadangan "
            "Anda (8 huruf dan angka)."
        ),
        widget=forms.TextInput(attrs=_CODE_ATTRS),
        error_messages={"required": gettext_lazy("Ketik kodenya.")},
    )

    def clean_code(self) -> str:
        code = mfa.normalise_code(self.cleaned_data["code"])
        if mfa.is_totp_code(code) or mfa.is_recovery_code(code):
            return code
        raise ValidationError(
            _(
                "Kode dari aplikasi terdiri dari 6 angka; kode cadangan terdiri dari 8 huruf dan "
                "angka. Periksa kembali, lalu coba lagi."
            )
        )


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode dari aplikasi"),
        max_length=16,
        help_text=gettext_lazy("6 angka yang tampil di aplikasi setelah kode QR dipindai."),
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("Ketik 6 angka dari aplikasi.")},
    )

    def clean_code(self) -> str:
        code = mfa.normalise_code(self.cleaned_data["code"])
        if not mfa.is_totp_code(code):
            raise ValidationError(_("Kode dari aplikasi terdiri dari 6 angka."))
        return code


def _next_url(request: HttpRequest) -> str:
    """Where to go once done: a path on this host from ?next=, or the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:dashboard")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _lockout_message() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Terlalu banyak kode yang salah. Demi keamanan, verifikasi untuk akun ini atau dari "
        "jaringan ini dikunci sementara. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak kode yang salah. Demi keamanan, verifikasi untuk akun ini atau dari "
        "jaringan ini dikunci sementara. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


@login_required
def status(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = mfa.authenticator(user)
    context = {
        "device": device,
        "required": mfa.is_required(user),
        "codes_left": mfa.recovery_codes_left(user) if device else 0,
    }
    return render(request, "accounts/mfa_status.html", context)


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    user = request.user
    next_url = _next_url(request)
    if not mfa.has_authenticator(user):
        # Nothing to type: set-up for those who must have it, onwards for everyone else.
        if mfa.is_required(user):
            return redirect(_with_next(reverse("accounts:mfa_setup"), next_url))
        return redirect(next_url)
    form = SecondStepForm(request.POST or None)
    lockout = ""
    if request.method == "POST":
        if not mfa.second_step_allowed(request):
            lockout = _lockout_message()
        elif form.is_valid():
            if mfa.second_step_check(request, code=form.cleaned_data["code"]):
                return redirect(next_url)
            if mfa.second_step_allowed(request):
                form.add_error(
                    "code",
                    _(
                        "Kode salah atau sudah pernah dipakai. Ketik kode yang sedang tampil di "
                        "aplikasi, atau kode cadangan yang belum dipakai."
                    ),
                )
            else:
                lockout = _lockout_message()
    context = {"form": form, "next": next_url, "lockout_message": lockout}
    return render(request, "accounts/mfa_verify.html", context, status=429 if lockout else 200)


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator: QR code or secret, confirmed with a code."""
    user = request.user
    next_url = _next_url(request)
    replacing = mfa.has_authenticator(user)
    if replacing and not mfa.is_verified(request):
        return redirect(_with_next(reverse("accounts:mfa_verify"), next_url))
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.authenticator_confirm(request=request, code=form.cleaned_data["code"])
        except PermissionDenied:
            return redirect(_with_next(reverse("accounts:mfa_verify"), next_url))
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            messages.success(request, _("Verifikasi dua langkah aktif untuk akun Anda."))
            if codes:
                return redirect(_with_next(reverse("accounts:mfa_codes"), next_url))
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "replacing": replacing,
        "required": mfa.is_required(user),
        "provisioning": mfa.provisioning(user, mfa.setup_secret(request)),
    }
    return render(request, "accounts/mfa_setup.html", context)


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; a button makes ten new ones (the old ones stop working)."""
    user = request.user
    if not mfa.has_authenticator(user):
        return redirect("accounts:mfa_status")
    if not mfa.is_verified(request):
        return redirect(_with_next(reverse("accounts:mfa_verify"), request.get_full_path()))
    if request.method == "POST":
        mfa.recovery_codes_renew(request=request)
        return redirect("accounts:mfa_codes")
    codes = [mfa.display_code(code) for code in mfa.new_recovery_codes_once(request)]
    context = {
        "codes": codes,
        "codes_left": mfa.recovery_codes_left(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_codes.html", context)


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in off: only for people who need not use it (not for staff)."""
    if mfa.has_authenticator(request.user) and not mfa.is_verified(request):
        return redirect(_with_next(reverse("accounts:mfa_verify"), reverse("accounts:mfa_status")))
    try:
        mfa.second_step_disable(request=request)
    except PermissionDenied:
        return render(request, "accounts/mfa_refused.html", status=403)
    messages.success(request, _("Verifikasi dua langkah dimatikan untuk akun Anda."))
    return redirect("accounts:mfa_status")
