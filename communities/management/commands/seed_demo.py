from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communities import demo


class Command(BaseCommand):
    help = (
        "Create demo KIMs, accounts, Diskominfo staff and posts with photos on real village "
        "codes (needs load_regions first; safe to run again)."
    )

    def handle(self, *args, **options) -> None:
        try:
            report = demo.seed_demo()
        except demo.RegionsMissing as exc:
            raise CommandError(str(exc)) from exc
        if report.changed:
            self.stdout.write(
                _("Data demo dibuat: %(kims)d KIM, %(users)d akun, %(posts)d tulisan.")
                % {
                    "kims": len(report.communities_created),
                    "users": len(report.users_created),
                    "posts": len(report.posts_created),
                }
            )
        else:
            self.stdout.write(_("Data demo sudah lengkap; tidak ada yang diubah."))
        self._print_credentials()

    def _print_credentials(self) -> None:
        rows = demo.credentials()
        sign_in = demo.sign_in_url()
        email_width = max(len(r.email) for r in rows)
        role_width = max(len(r.role) for r in rows)
        self.stdout.write("")
        self.stdout.write(
            _("Akun demo: kata sandi semua akun %(password)s") % {"password": demo.DEMO_PASSWORD}
        )
        header = f"{_('email'):{email_width}}  {_('peran'):{role_width}}  {_('masuk di')}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header.rstrip()) + "-" * len(sign_in))
        for row in rows:
            self.stdout.write(f"{row.email:{email_width}}  {row.role:{role_width}}  {sign_in}")
        self.stdout.write("")
        self.stdout.write(_("Situs KIM demo:"))
        sites = demo.subsites()
        name_width = max(len(name) for name, _url in sites)
        for name, url in sites:
            self.stdout.write(f"{name:{name_width}}  {url}")
