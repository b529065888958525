"""Sign-ins and failed sign-ins of staff accounts, from django.contrib.auth's signals.

Every way in (kelola's form, Django's admin, a future API token flow) goes through
`django.contrib.auth.login` or `authenticate`, which send these signals; recording here covers
them all. A failure is recorded only when the typed email belongs to a staff account, against
that account (its id is the event's actor: the person typing is unknown). What was typed is
never stored, nor the client's address.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed

from audit import services

_UID = "audit.signals"


def on_signed_in(sender, request, user, **kwargs) -> None:
    if services.is_staff_account(user):
        services.record(user, services.Action.SIGNED_IN, user)


def on_sign_in_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    User = get_user_model()
    typed = credentials.get("username", credentials.get(User.USERNAME_FIELD))
    if not isinstance(typed, str) or not typed.strip():
        return
    account = User.objects.filter(email__iexact=typed.strip()).first()
    if account is not None and services.is_staff_account(account):
        services.record(account, services.Action.SIGN_IN_FAILED, account)


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid=f"{_UID}.signed_in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid=f"{_UID}.failed")
