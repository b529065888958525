"""`manage.py purge_personal_data`: delete personal data past its retention period now (beat does
it daily), or with `--dry-run` count what would be deleted."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kimportal.retention import personal_data_purge

LABELS = {
    "signup_rejected": gettext_lazy("Pendaftaran ditolak (pindaian SK, nomor HP anggota)"),
    "signup_abandoned": gettext_lazy("Pendaftaran yang ditinggalkan (pindaian SK, nomor HP)"),
    "aspiration_contacts": gettext_lazy("Aspirasi selesai (kontak pengirim, foto asli)"),
    "invitations": gettext_lazy("Undangan yang tidak diterima"),
    "sign_in_attempts": gettext_lazy("Catatan gagal masuk"),
    "sessions": gettext_lazy("Sesi yang sudah berakhir"),
}


class Command(BaseCommand):
    help = _("Hapus data pribadi yang masa simpannya sudah lewat (beat menjalankannya tiap hari).")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Hanya hitung yang akan dihapus; tidak ada yang diubah."),
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        counts = personal_data_purge(dry_run=dry_run)
        self.stdout.write(
            _("Akan dihapus (uji coba, tidak ada yang diubah):") if dry_run else _("Dihapus:")
        )
        for name, count in counts.items():
            self.stdout.write(f"  {LABELS.get(name, name)}: {count}")
