"""Writes to accounts: registration, and staff scopes (Diskominfo admins) set by national admins."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from audit import services as audit
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import URLCONFS, kelola_url
from kimportal.lib.mail import send_templated_email
from regions.models import Province, Regency

SIGNUP_LINK_HOURS = 48
_SIGNUP_SALT = "kimportal.accounts.signup"


def user_register(*, email: str, password: str, full_name: str) -> User:
    """A new account (email is stored lower-case; a taken one raises IntegrityError)."""
    return User.objects.create_user(email.strip(), password, full_name=full_name.strip())


@dataclass(frozen=True)
class SignUpClaim:
    """What a sign-up link vouches for: someone who can read `email` asked for an account."""

    email: str
    full_name: str


def signup_request(*, email: str, full_name: str) -> None:
    """Answer a sign-up the same way whether or not the address has an account: by email.

    A new address gets a link to choose a password (the account is made only then, so nobody
    can hold an account on an address they cannot read); an address with an account gets a
    note telling its owner to sign in instead. The caller shows one page for both.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        send_templated_email(
            template="signup_existing",
            to=[email],
            context={
                "login_url": kelola_url("accounts:login")
                + "?"
                + urlencode({"next": reverse("signup:start", urlconf=URLCONFS[SiteKind.KELOLA])})
            },
        )
        return
    token = signing.dumps({"e": email, "n": full_name.strip()}, salt=_SIGNUP_SALT, compress=True)
    send_templated_email(
        template="signup_confirm",
        to=[email],
        context={
            "full_name": full_name.strip(),
            "confirm_url": kelola_url("signup:account", token),
            "hours": SIGNUP_LINK_HOURS,
        },
    )


def signup_claim_read(token: str) -> SignUpClaim | None:
    """The claim behind a sign-up link, or None when it is forged, altered or too old."""
    try:
        data = signing.loads(token, salt=_SIGNUP_SALT, max_age=SIGNUP_LINK_HOURS * 3600)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    return SignUpClaim(email=data["e"], full_name=str(data.get("n", "")))


def signup_complete(*, claim: SignUpClaim, full_name: str, password: str) -> User:
    """The account of a confirmed sign-up; ValidationError when the address got one meanwhile
    (the link used twice, or the owner registered another way)."""
    try:
        with transaction.atomic():
            return user_register(email=claim.email, password=password, full_name=full_name)
    except IntegrityError as exc:
        raise ValidationError(
            _("Sudah ada akun untuk alamat email ini. Silakan masuk."), code="taken"
        ) from exc


def _require_national(actor: User) -> None:
    from communities import permissions

    if not permissions.can(actor, permissions.MANAGE_STAFF):
        raise PermissionError("only national admins manage staff scopes")


def staff_scope_add(
    *,
    actor: User,
    email: str,
    level: str,
    province: Province | None = None,
    regency: Regency | None = None,
) -> StaffScope:
    _require_national(actor)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            _("Belum ada akun dengan email %(email)s. Minta orangnya mendaftar dulu.")
            % {"email": email}
        )
    if level == StaffScope.Level.PROVINCE and province is None:
        raise ValidationError(_("Pilih provinsinya."))
    if level == StaffScope.Level.REGENCY and regency is None:
        raise ValidationError(_("Pilih kabupaten/kotanya."))
    scope = StaffScope(
        user=user,
        level=level,
        province=province if level == StaffScope.Level.PROVINCE else None,
        regency=regency if level == StaffScope.Level.REGENCY else None,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            scope.save()
            audit.record(actor, audit.Action.SCOPE_GRANTED, scope, level=level)
    except IntegrityError as exc:
        raise ValidationError(_("Pengguna ini sudah punya cakupan tersebut.")) from exc
    return scope


@transaction.atomic
def staff_scope_remove(*, actor: User, scope: StaffScope) -> None:
    _require_national(actor)
    if scope.user_id == actor.pk and scope.level == StaffScope.Level.NATIONAL:
        others = StaffScope.objects.filter(level=StaffScope.Level.NATIONAL).exclude(user=actor)
        if not others.exists():
            raise ValidationError(_("Tidak dapat menghapus admin nasional terakhir."))
    audit.record(actor, audit.Action.SCOPE_REMOVED, scope, level=scope.level)
    scope.delete()
