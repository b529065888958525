"""The second step of signing in, enforced on every page of kelola (accounts.mfa)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import mfa
from audit import services as audit

# What a signed-in person may open before passing the second step: the step itself, set-up
# (which refuses anyone who already has an authenticator), signing out, and the host-wide routes.
OPEN_VIEWS = frozenset(
    {
        "accounts:mfa_verify",
        "accounts:mfa_setup",
        "accounts:logout",
        "healthz",
        "readyz",
        "robots",
        "language",
    }
)
STEP_VIEWS = {mfa.Step.VERIFY: "accounts:mfa_verify", mfa.Step.SETUP: "accounts:mfa_setup"}


class SecondStepMiddleware:
    """Sends a signed-in person who has not passed the second step to it (or to set-up) before
    any other kelola page.

    Only kelola: sign-in lives there and its session cookie is the host's own; the portal and
    the subsites pay nothing. A session past the step costs one query (is the device it passed
    with still there?). One that is not reads the staff scopes the menu reads anyway, and looks
    for an authenticator (for someone who needs none, at most once a minute:
    accounts.mfa.pending_step).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        site = getattr(request, "site", None)
        if site is None or not site.is_kelola or not request.user.is_authenticated:
            return None
        if mfa.lost_second_step(request):  # before the open views: set-up is one of them
            return self._sign_out(request)
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        step = mfa.pending_step(request)
        if step is None:
            return None
        target = reverse(STEP_VIEWS[step])
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)

    @staticmethod
    def _sign_out(request: HttpRequest) -> HttpResponse:
        """Sign out a session whose second-step device is gone, back to the password step."""
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        user = request.user
        if audit.is_staff_account(user):
            with transaction.atomic():
                audit.record(user, audit.Action.SIGNED_OUT_DEVICE_GONE, user)
        logout(request)
        messages.warning(
            request,
            _(
                "Perangkat yang Anda pakai untuk verifikasi dua langkah sudah dihapus. "
                "Silakan masuk lagi."
            ),
        )
        if not next_url:
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        return redirect_to_login(next_url)
