"""Receivers of django.contrib.auth's signals for the session list (accounts.session_records).

Every way in (kelola's form, Django's admin, test clients' force_login) goes through
django.contrib.auth.login/logout, which send these signals.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out

from accounts import session_records

_UID = "accounts.session_records"


def on_signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_records.session_record_sign_in(request=request, user=user)


def on_signed_out(sender, request, user, **kwargs) -> None:
    if request is not None:
        session_records.session_forget_sign_out(request=request)


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid=f"{_UID}.signed_in")
    user_logged_out.connect(on_signed_out, dispatch_uid=f"{_UID}.signed_out")
