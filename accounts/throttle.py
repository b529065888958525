"""Sign-in throttling on django-axes: one limit per account, another per client address.

Too many failures for one email lock that email from every address (LOGIN_FAILURE_LIMIT); too
many from one address lock that address for every email (LOGIN_ADDRESS_FAILURE_LIMIT, higher:
a whole village may share one mobile-network address). Both last LOGIN_COOLOFF_MINUTES. The
address is kimportal.lib.client.throttle_address: the client's address, an IPv6 one taken as its
/64 (one household or phone holds a whole /64).
"""

import logging
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from kimportal.lib.client import network_prefix
from kimportal.lib.keyed import hour_count_add, keyed_hash

log = logging.getLogger(__name__)


def email_key(email: str) -> str:
    """What limits count an email as: every spelling that reaches one account counts as one.
    Accounts are found case-insensitively in the database (email__iexact, upper() on both
    sides), which folds more than Python's lower(): "sıtı" (dotless ı) is "SITI" there, so
    "sıtı@…" signs in to "siti@…". Upper case first, then lower, folds at least as much, and
    without looking the account up (whether a spelling shares a count must not say whether an
    account exists)."""
    return email.strip().upper().lower()


def email_and_network_allowed(
    purpose: str, *, email: str, address: str, per_email: int, per_network: int
) -> bool:
    """Count one request of `purpose` for this email and from this client's /24 or /64; False
    once either has had its hourly allowance (True while the cache is down: each caller says why
    that is acceptable). Every request is counted before anything is looked up, so a refusal
    says nothing about whether the email has an account. The cache holds keyed hashes only."""
    # The network first: a network past its allowance adds no counter per email typed.
    counters = (
        ("net", network_prefix(address), per_network),
        ("email", email_key(email), per_email),
    )
    for kind, value, limit in counters:
        count = hour_count_add(f"{purpose}:{kind}:{keyed_hash(purpose, kind, value)}", what=purpose)
        if count is None:
            return True
        if count > limit:
            return False
    return True


def sign_in_account(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a sign-in counts against (see email_key): "Siti@Example.id ", "siti@…" and
    "sıtı@…" are one account."""
    data = credentials if credentials else getattr(request, "POST", {})
    username = data.get("username")
    return email_key(username) if isinstance(username, str) else username


def account_failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


class SignInThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for every sign-in made over HTTP (kelola's form, the admin's).

    Calls without a request (a shell, the test client's login()) have no address to throttle
    and nobody to answer; they are left to the next backend instead of raising.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate limit for the account and for the address."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # Axes compares one number with one limit (AXES_FAILURE_LIMIT, the account's). The
        # address's failures are scaled so that they reach it exactly when they reach the
        # address limit: floor(n * a / b) >= a  <=>  n >= b.
        account_limit = settings.LOGIN_FAILURE_LIMIT
        address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(by_account, by_address * account_limit // address_limit)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and getattr(request, "axes_locked_out", False):
            log.warning(
                "Sign-in locked out: account=%s address=%s path=%s",
                get_client_username(request, credentials),
                request.axes_ip_address,
                request.axes_path_info,
            )

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # Success wipes the account's own failures only. Wiping the address's too would let
        # anyone with one working account reset the address limit between guesses at others.
        AccessAttempt.objects.filter(username=email_key(user.get_username())).delete()
