"""Two-step sign-in on kelola: an authenticator app (TOTP) and ten single-use recovery codes.

Built on django-otp: a person's authenticator is a confirmed `TOTPDevice`, their recovery codes
the tokens of their one `StaticDevice`. Everyone with a Diskominfo staff scope, every operator
(`is_staff`) and every superuser must use it; anyone else (a KIM admin) may turn it on.

A session has passed the second step when it holds django-otp's device key
(`django_otp.DEVICE_ID_SESSION_KEY`), which `django_otp.login()` writes once a code was
accepted. It lives and dies with the session (signing out flushes it, an expired session is
gone) and with the device it names: once that device is deleted or replaced, the session must
pass the step again (`is_verified`).
Who must pass it is decided again on every request (accounts.middleware), so a staff scope given
to someone already signed in counts from their next request.

Wrong codes are throttled like wrong passwords (accounts.throttle, django-axes): per account,
under a key of its own that a successful password does not wipe, and per client address, the
same address count as the password step's.
"""

import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from enum import StrEnum

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import User
from audit import services as audit
from communities import permissions

RECOVERY_CODE_COUNT = 10
# How many time steps (30 s each) around now a code may come from: a phone's clock may be off.
TOLERANCE = 1

# The secret being set up, until a code proves the person's app holds it (never in a URL).
_PENDING_SETUP = "kim_mfa_setup"
# New recovery codes, kept only until the page that shows them once has been rendered.
_NEW_CODES = "kim_mfa_new_codes"
# [user id, Unix time]: when this session last found that its person had no authenticator and
# no duty to have one. Their pages look again only after WITHOUT_RECHECK_SECONDS (a KIM member's
# page costs no query for it), so an authenticator set up in another session counts here too,
# within that time.
_WITHOUT = "kim_mfa_without"
WITHOUT_RECHECK_SECONDS = 60
# Wrong codes count against this axes "username", not the account's own: a correct password
# wipes the account's password failures, and must not wipe these.
_THROTTLE_PREFIX = "2fa:"


class Step(StrEnum):
    VERIFY = "verify"  # type a code
    SETUP = "setup"  # set up an authenticator first


def is_required(user: User) -> bool:
    """Must this person pass the second step? Staff scopes are read through the permissions
    module's per-request cache, which kelola's menu fills on every page anyway."""
    return user.is_superuser or user.is_staff or permissions.is_staff_admin(user)


def is_verified(request: HttpRequest) -> bool:
    """Has this session passed the second step, with a device the person still has?

    One query (by primary key, once per request), as django-otp's own middleware does: an
    authenticator deleted (by an operator after a phone was stolen, or replaced by the person) or
    recovery codes renewed take the verification of every session that passed with them."""
    return _session_device(request)[1] is not None


def lost_second_step(request: HttpRequest) -> bool:
    """Did this session pass the second step with a device that is gone since? Such a session
    is signed out (accounts.middleware): sent to set-up or the code page instead, it could
    enrol a new authenticator with nothing but the session a thief holds."""
    persistent_id, device = _session_device(request)
    return bool(persistent_id) and device is None


def _session_device(request: HttpRequest) -> tuple[str, Device | None]:
    """(the session's device id, that device if it is still this person's and confirmed, else
    None), remembered on the request for as long as the session names the same device."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) or ""
    remembered = getattr(request, "_kim_second_step", None)
    if remembered is not None and remembered[0] == persistent_id:
        return remembered
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    if device is not None and not (device.confirmed and device.user_id == request.user.pk):
        device = None
    request._kim_second_step = (persistent_id, device)
    return request._kim_second_step


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_step(request: HttpRequest) -> Step | None:
    """What the signed-in person must do before any other kelola page, or None."""
    if is_verified(request):
        return None
    user = request.user
    if is_required(user):
        return Step.VERIFY if has_authenticator(user) else Step.SETUP
    now = _now()
    checked = request.session.get(_WITHOUT)
    if checked and checked[0] == user.pk and now - checked[1] < WITHOUT_RECHECK_SECONDS:
        return None
    if has_authenticator(user):
        request.session.pop(_WITHOUT, None)
        return Step.VERIFY
    request.session[_WITHOUT] = [user.pk, now]
    return None


def _now() -> int:
    return int(time.time())


# --- The second step ----------------------------------------------------------------------------


def normalise_code(typed: str) -> str:
    """A code as typed ("123 456", "ABCD-EFGH") in the form it is checked in."""
    return "".join(typed.split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


_BASE32 = frozenset("abcdefghijklmnopqrstuvwxyz234567")


def is_recovery_code(code: str) -> bool:
    """The shape of a recovery code (django-otp's StaticToken.random_token, lower-cased)."""
    return len(code) == 8 and set(code) <= _BASE32


def _throttle_credentials(user: User) -> dict:
    return {"username": f"{_THROTTLE_PREFIX}{user.email}"}


def second_step_allowed(request: HttpRequest) -> bool:
    """False while this account's codes or this address are locked out (accounts.throttle)."""
    return AxesProxyHandler.is_allowed(request, _throttle_credentials(request.user))


def second_step_check(request: HttpRequest, *, code: str) -> bool:
    """Pass the second step with a code from the authenticator or a recovery code (normalised).

    A recovery code is used up; an authenticator code is never accepted twice (django-otp keeps
    the last accepted time step). A wrong code is counted by the sign-in throttle; the caller
    checks `second_step_allowed` first.
    """
    user = request.user
    if is_totp_code(code):
        device = authenticator(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    # verify_token locks the device row (select_for_update): two requests racing with one
    # recovery code cannot both use it.
    verified = device and django_otp.verify_token(user, device.persistent_id, code)
    if not verified:
        AxesProxyHandler.user_login_failed(
            sender=second_step_check, credentials=_throttle_credentials(user), request=request
        )
        # The caller answers a lockout on the code page itself; axes' middleware would replace
        # it with the password page.
        request.axes_locked_out = False
        if audit.is_staff_account(user):  # a wrong code is a failed sign-in too
            audit.record(user, audit.Action.SIGN_IN_FAILED, user, step="kode")
        return False
    AxesProxyHandler.reset_attempts(username=_throttle_credentials(user)["username"])
    django_otp.login(request, verified)
    request.session.pop(_WITHOUT, None)
    return True


# --- Setting up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provisioning:
    """What an authenticator app needs: a QR code (inline SVG) or the secret typed by hand."""

    uri: str
    secret: str  # base32 in groups of four
    qr_svg: SafeString


def setup_secret(request: HttpRequest) -> str:
    """The secret being set up in this session (hex), made on first use and kept until confirmed
    so that a reload or a wrong code does not change the QR code under the person's camera."""
    secret = request.session.get(_PENDING_SETUP)
    if not secret:
        secret = random_hex(20)
        request.session[_PENDING_SETUP] = secret
    return secret


def provisioning(user: User, secret: str) -> Provisioning:
    uri = TOTPDevice(user=user, key=secret).config_url  # unsaved: only builds the otpauth:// URI
    base32 = b32encode(unhexlify(secret)).decode()
    qr = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("Kode QR untuk aplikasi autentikator")
    )
    return Provisioning(
        uri=uri,
        secret=" ".join(base32[i : i + 4] for i in range(0, len(base32), 4)),
        qr_svg=mark_safe(qr),  # noqa: S308 - drawn by segno from our own URI: paths and a title
    )


def _matching_step(secret: str, code: str) -> TOTP | None:
    totp = TOTP(unhexlify(secret))
    totp.time = time.time()
    return totp if totp.verify(int(code), tolerance=TOLERANCE) else None


def authenticator_confirm(*, request: HttpRequest, code: str) -> list[str]:
    """Make the secret being set up the person's authenticator, once `code` shows their app
    holds it, and mark this session as past the second step.

    Replaces any earlier authenticator. Returns new recovery codes when the person had none
    left, else [] (their codes stay valid). Raises PermissionDenied when the person already has
    an authenticator and this session has not passed the second step (set-up is no way around
    it), ValidationError for a wrong code or a set-up this session never started.
    """
    user = request.user
    secret = request.session.get(_PENDING_SETUP)
    if not secret:
        raise ValidationError(
            _("Sesi pemasangan sudah berakhir. Pindai kode QR yang baru, lalu ketik kodenya."),
            code="expired",
        )
    with transaction.atomic():
        # One set-up at a time per person: two sessions racing cannot both pass the check below.
        User.objects.select_for_update().filter(pk=user.pk).exists()
        if not is_verified(request) and has_authenticator(user):
            raise PermissionDenied("pass the second step before replacing the authenticator")
        totp = _matching_step(secret, code)
        if totp is None:
            raise ValidationError(
                _(
                    "Kode tidak cocok. Ketik 6 angka yang sedang tampil di aplikasi, "
                    "lalu coba lagi."
                ),
                code="wrong",
            )
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name="authenticator app",
            key=secret,
            confirmed=True,
            last_t=totp.t(),  # this code cannot be used again to sign in
            drift=totp.drift,
        )
        codes = [] if recovery_codes_left(user) else _new_recovery_codes(user)[1]
    del request.session[_PENDING_SETUP]
    request.session.pop(_WITHOUT, None)
    django_otp.login(request, device)
    if codes:
        request.session[_NEW_CODES] = codes
    return codes


def _new_recovery_codes(user: User) -> tuple[StaticDevice, list[str]]:
    """The person's new recovery-code device, in place of the old one, and its codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return device, codes


def recovery_codes_renew(*, request: HttpRequest) -> list[str]:
    """Ten new recovery codes for the signed-in person; the old ones stop working. Only for a
    session past the second step of someone with an authenticator."""
    user = request.user
    if not (is_verified(request) and has_authenticator(user)):
        raise PermissionDenied("recovery codes belong to a verified session with an authenticator")
    used_codes = isinstance(_session_device(request)[1], StaticDevice)
    with transaction.atomic():
        device, codes = _new_recovery_codes(user)
    if used_codes:  # this session passed with the codes just replaced: it keeps its standing
        django_otp.login(request, device)
    request.session[_NEW_CODES] = codes
    return codes


def new_recovery_codes_once(request: HttpRequest) -> list[str]:
    """The recovery codes just made, the one time they are shown (then forgotten)."""
    return request.session.pop(_NEW_CODES, [])


def display_code(code: str) -> str:
    """A recovery code as shown: two groups of four ("abcd efgh"), typed with or without the
    space."""
    return f"{code[:4]} {code[4:]}"


def second_step_disable(*, request: HttpRequest) -> None:
    """Turn two-step sign-in off for the signed-in person: their authenticator and recovery
    codes are deleted. Refused (PermissionDenied) to anyone who must use it, and to a session
    that has not passed the second step."""
    user = request.user
    if is_required(user):
        raise PermissionDenied("staff cannot turn two-step sign-in off")
    if has_authenticator(user) and not is_verified(request):
        raise PermissionDenied("pass the second step first")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(_PENDING_SETUP, None)
    request.session[_WITHOUT] = [user.pk, _now()]
