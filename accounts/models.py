"""The user model: people sign in with their email address."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), max_length=254, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    is_active = models.BooleanField(_("aktif"), default=True)
    # Django's admin site is for operators only; Diskominfo roles are data (see StaffScope).
    is_staff = models.BooleanField(_("operator"), default=False)
    date_joined = models.DateTimeField(_("bergabung"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        # Addresses are stored lower-cased so that uniqueness is case-insensitive.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffScope(models.Model):
    """A Diskominfo admin's reach: the whole country, one province or one regency."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("Nasional (Kemkomdigi)")
        PROVINCE = "province", _("Provinsi (Diskominfo provinsi)")
        REGENCY = "regency", _("Kabupaten/kota (Diskominfo kabupaten/kota)")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_scopes", verbose_name=_("pengguna")
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provinsi"),
    )
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cakupan staf")
        verbose_name_plural = _("cakupan staf")
        constraints = [
            models.CheckConstraint(
                name="accounts_staffscope_region_matches_level",
                condition=(
                    models.Q(level="national", province__isnull=True, regency__isnull=True)
                    | models.Q(level="province", province__isnull=False, regency__isnull=True)
                    | models.Q(level="regency", province__isnull=True, regency__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(level="national"), name="accounts_scope_nat_uq"
            ),
            models.UniqueConstraint(
                fields=["user", "province"],
                condition=models.Q(level="province"),
                name="accounts_scope_prov_uq",
            ),
            models.UniqueConstraint(
                fields=["user", "regency"],
                condition=models.Q(level="regency"),
                name="accounts_scope_reg_uq",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "level"], name="accounts_scope_regency_idx"),
            models.Index(fields=["province", "level"], name="accounts_scope_province_idx"),
        ]

    def __str__(self) -> str:
        if self.level == self.Level.NATIONAL:
            return str(_("Nasional"))
        return str(self.regency or self.province)


class AccountSession(models.Model):
    """One signed-in session of a person, as listed on their Akun page (accounts.session_records).

    Holds the session's key (the session table holds it too), so that a session can be ended for
    real, in the database and in the cache; never shown or exported. No IP address is kept, only
    a short device label read from the User-Agent. A row whose session has ended (signed out,
    expired, ended from another device) is not listed and is swept.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="account_sessions", verbose_name=_("pengguna")
    )
    session_key = models.CharField(max_length=40, unique=True)
    device = models.CharField(_("perangkat"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("masuk"), default=timezone.now)
    # Written at most once a minute (the session remembers when it last was).
    last_seen_at = models.DateTimeField(_("terakhir aktif"), default=timezone.now)

    class Meta:
        verbose_name = _("sesi masuk")
        verbose_name_plural = _("sesi masuk")
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="account_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.device or '?'} · {self.created_at:%Y-%m-%d %H:%M}"
