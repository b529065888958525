"""AuditEvent: one staff action or staff sign-in, written once and never changed.

The log holds no personal data beyond account ids: the actor is a plain integer (not a foreign
key, so deleting an account never rewrites the log), the actor's role is text ("admin provinsi
Jawa Timur"), and the target is named by what is public about it (a KIM's name, a post's title).
No name, email or address of a person is ever written here.

Append-only twice over: the model and its querysets refuse updates and deletes in Python, and on
PostgreSQL a trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE of the table whatever
the client. Only `manage.py flush` (which erases every table, and is how the test suite resets
its database) may empty it: see audit/management/commands/flush.py.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an audit event."""


class Action(models.TextChoices):
    # Verification decisions and the other reviewer actions on a KIM.
    KIM_VERIFIED = "kim.verified", _("KIM diverifikasi")
    KIM_REJECTED = "kim.rejected", _("Pendaftaran KIM ditolak (diminta perbaikan)")
    KIM_SUSPENDED = "kim.suspended", _("KIM dibekukan")
    KIM_REINSTATED = "kim.reinstated", _("Pembekuan KIM dicabut")
    KIM_SLUG_CHANGED = "kim.slug_changed", _("Alamat subdomain KIM diubah")
    KIM_TRUST_CHANGED = "kim.trust_changed", _("Status tepercaya KIM diubah")
    # Moderation of posts.
    POST_APPROVED = "post.approved", _("Tulisan disetujui")
    POST_REJECTED = "post.rejected", _("Tulisan dikembalikan")
    POST_TAKEN_DOWN = "post.taken_down", _("Tulisan diturunkan")
    REVISION_APPROVED = "post.revision_approved", _("Perubahan tulisan disetujui")
    REVISION_REJECTED = "post.revision_rejected", _("Perubahan tulisan ditolak")
    REPORTS_DISMISSED = "post.reports_dismissed", _("Laporan tulisan ditutup, tulisan tayang lagi")
    BANNED_TERM_ADDED = "moderation.term_added", _("Kata terlarang ditambahkan")
    BANNED_TERM_REMOVED = "moderation.term_removed", _("Kata terlarang dihapus")
    # Siaran.
    SIARAN_PUBLISHED = "siaran.published", _("Siaran diterbitkan")
    SIARAN_UPDATED = "siaran.updated", _("Siaran yang terbit diubah")
    SIARAN_WITHDRAWN = "siaran.withdrawn", _("Siaran ditarik")
    # Aspirations worked by staff.
    ASPIRASI_FORWARDED = "aspirasi.forwarded", _("Aspirasi diteruskan")
    ASPIRASI_ANSWERED = "aspirasi.answered", _("Aspirasi ditanggapi")
    ASPIRASI_CLOSED = "aspirasi.closed", _("Aspirasi ditutup")
    ASPIRASI_MERGED = "aspirasi.merged", _("Aspirasi digabung")
    ASPIRASI_SPAM = "aspirasi.spam", _("Aspirasi ditandai spam")
    # Staff scopes.
    SCOPE_GRANTED = "staff.scope_granted", _("Cakupan staf diberikan")
    SCOPE_REMOVED = "staff.scope_removed", _("Cakupan staf dicabut")
    # Sign-ins of staff accounts.
    SIGNED_IN = "auth.signed_in", _("Staf masuk")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Gagal masuk ke akun staf")
    SIGNED_OUT_DEVICE_GONE = (
        "auth.device_gone",
        _("Sesi staf diakhiri: perangkat verifikasi dua langkahnya sudah dihapus"),
    )


class TargetKind(models.TextChoices):
    KIM = "kim", _("KIM")
    POST = "post", _("Tulisan")
    SIARAN = "siaran", _("Siaran")
    ASPIRASI = "aspirasi", _("Aspirasi")
    ACCOUNT = "account", _("Akun")
    BANNED_TERM = "term", _("Kata terlarang")


# How the screen names the keys of `detail` (the services write them in English, as code).
DETAIL_LABELS = {
    "reason": _("alasan"),
    "old": _("alamat lama"),
    "new": _("alamat baru"),
    "trusted": _("tepercaya"),
    "status": _("status"),
    "revision": _("perubahan nomor"),
    "fields": _("bagian yang berubah"),
    "office": _("diteruskan ke"),
    "into": _("digabung ke aspirasi nomor"),
    "level": _("tingkat"),
    "step": _("langkah"),
}


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are never changed")

    def delete(self):
        raise AppendOnlyError("audit events are never deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events are never changed")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError("audit events are never changed")


class AuditEvent(models.Model):
    Action = Action
    TargetKind = TargetKind

    occurred_at = models.DateTimeField(_("waktu"), default=timezone.now)
    # Plain integers on purpose: see the module docstring.
    actor_id = models.PositiveBigIntegerField(_("ID akun pelaku"), null=True, blank=True)
    actor_role = models.CharField(_("peran pelaku"), max_length=255, blank=True)
    action = models.CharField(_("tindakan"), max_length=40, choices=Action.choices)
    target_kind = models.CharField(_("jenis sasaran"), max_length=10, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField(_("ID sasaran"), null=True, blank=True)
    target_label = models.CharField(_("sasaran"), max_length=200, blank=True)
    # Kemendagri codes of the target's region ("35", "35.78"), for filtering; empty when the
    # target has none or spans several.
    province_code = models.CharField(_("kode provinsi"), max_length=13, blank=True)
    regency_code = models.CharField(_("kode kabupaten/kota"), max_length=13, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("log audit")
        # Every list is newest first; each filter has an index ending in the list's order, so a
        # page (and the keyset cursor that follows it) is read straight from the index.
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="audit_newest_idx"),
            models.Index(fields=["action", "-occurred_at", "-id"], name="audit_action_idx"),
            models.Index(fields=["actor_id", "-occurred_at", "-id"], name="audit_actor_idx"),
            models.Index(
                fields=["province_code", "-occurred_at", "-id"], name="audit_province_idx"
            ),
            models.Index(fields=["regency_code", "-occurred_at", "-id"], name="audit_regency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are never deleted")

    def detail_items(self) -> list[tuple[str, str]]:
        """The detail as (label, text) pairs for the screen."""
        items = []
        for key, value in sorted(self.detail.items()):
            if isinstance(value, bool):
                value = _("ya") if value else _("tidak")
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            items.append((DETAIL_LABELS.get(key, key), str(value)))
        return items
