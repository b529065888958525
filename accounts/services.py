"""Writes to accounts: registration, and staff scopes (Diskominfo admins) set by national admins."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from regions.models import Province, Regency


def user_register(*, email: str, password: str, full_name: str) -> User:
    """A new account (email is stored lower-case; a taken one raises IntegrityError)."""
    return User.objects.create_user(email.strip(), password, full_name=full_name.strip())


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
    except IntegrityError as exc:
        raise ValidationError(_("Pengguna ini sudah punya cakupan tersebut.")) from exc
    return scope


def staff_scope_remove(*, actor: User, scope: StaffScope) -> None:
    _require_national(actor)
    if scope.user_id == actor.pk and scope.level == StaffScope.Level.NATIONAL:
        others = StaffScope.objects.filter(level=StaffScope.Level.NATIONAL).exclude(user=actor)
        if not others.exists():
            raise ValidationError(_("Tidak dapat menghapus admin nasional terakhir."))
    scope.delete()
