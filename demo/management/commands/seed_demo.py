"""`manage.py seed_demo`: the demo KIMs, accounts and posts of `make run`.

The demo creates a national admin. With the published password that is an open door, so with
DEBUG off the command runs only when asked to explicitly (--allow-production), and only with a
password of the operator's own from the DEMO_PASSWORD environment variable (an environment
variable rather than an option, so that it stays out of shell history and the process list).
"""

import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from demo import scale, seed

PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 - the name of the variable, not a password


class Command(BaseCommand):
    help = (
        "Create demo KIMs, accounts, Diskominfo staff and posts with photos on real village "
        "codes (needs load_regions first; safe to run again). With DEBUG off it needs "
        f"--allow-production and a private password in {PASSWORD_ENV}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=f"Seed even though DEBUG is off (needs {PASSWORD_ENV}, not the published one).",
        )
        parser.add_argument(
            "--communities",
            type=int,
            help="Scale data (demo/scale.py): after the demo, this many more verified KIMs on "
            "distinct real villages. Use with --posts; PostgreSQL for large numbers.",
        )
        parser.add_argument(
            "--posts",
            type=int,
            help="Scale data: this many posts among the scale KIMs (with --communities).",
        )

    def handle(
        self,
        *args,
        allow_production: bool = False,
        communities: int | None = None,
        posts: int | None = None,
        **options,
    ) -> None:
        if (communities is None) != (posts is None):
            raise CommandError(_("--communities dan --posts dipakai bersama."))
        password = self._password(allow_production=allow_production)
        self._seed_demo(password)
        if communities is not None:
            try:
                report = scale.seed_scale(
                    communities=communities, posts=posts, password=password, out=self.stdout.write
                )
            except scale.ScaleError as exc:
                raise CommandError(str(exc)) from exc
            if not report.skipped:
                self.stdout.write(
                    _(
                        "Data skala dimuat: %(kims)d KIM, %(posts)d tulisan, %(images)d foto, "
                        "%(seconds).0f s."
                    )
                    % {
                        "kims": report.communities,
                        "posts": report.posts,
                        "images": report.images,
                        "seconds": report.seconds,
                    }
                )

    def _seed_demo(self, password: str) -> None:
        try:
            report = seed.seed_demo(password=password)
        except seed.RegionsMissing as exc:
            raise CommandError(str(exc)) from exc
        if report.users_created or report.communities_created or report.posts_created:
            self.stdout.write(
                _("Data demo dibuat: %(kims)d KIM, %(users)d akun, %(posts)d tulisan.")
                % {
                    "kims": len(report.communities_created),
                    "users": len(report.users_created),
                    "posts": len(report.posts_created),
                }
            )
        if report.siaran_created or report.aspirations_created:
            self.stdout.write(
                _("Siaran demo: %(siaran)d, aspirasi demo: %(aspirations)d.")
                % {
                    "siaran": len(report.siaran_created),
                    "aspirations": len(report.aspirations_created),
                }
            )
        if report.sample_tracking_code:
            self.stdout.write(
                _("Coba lacak aspirasi demo di %(url)s dengan kode %(code)s")
                % {"url": seed.tracking_url(), "code": report.sample_tracking_code}
            )
        if report.passwords_changed:
            self.stdout.write(
                _("Kata sandi %(count)d akun demo lama diganti dengan %(variable)s.")
                % {"count": len(report.passwords_changed), "variable": PASSWORD_ENV}
            )
        if not report.changed:
            self.stdout.write(_("Data demo sudah lengkap; tidak ada yang diubah."))
        self._print_credentials(password)

    def _password(self, *, allow_production: bool) -> str:
        given = os.environ.get(PASSWORD_ENV, "")
        if settings.DEBUG:
            return given or seed.PUBLISHED_PASSWORD
        if not allow_production:
            raise CommandError(
                _(
                    "seed_demo ditolak karena DEBUG mati (produksi): data demo membuat akun admin "
                    "nasional yang kata sandinya tertulis di README. Jika server ini memang perlu "
                    "data demo, jalankan dengan --allow-production dan kata sandi Anda sendiri di "
                    "variabel lingkungan %(variable)s."
                )
                % {"variable": PASSWORD_ENV}
            )
        if not given:
            raise CommandError(
                _(
                    "Dengan --allow-production, isi kata sandi akun demo di variabel lingkungan "
                    "%(variable)s (jangan kata sandi yang tertulis di README)."
                )
                % {"variable": PASSWORD_ENV}
            )
        if given == seed.PUBLISHED_PASSWORD:
            raise CommandError(
                _(
                    "Kata sandi di %(variable)s adalah kata sandi demo yang diumumkan di README; "
                    "di produksi pakai kata sandi lain yang hanya Anda ketahui."
                )
                % {"variable": PASSWORD_ENV}
            )
        try:
            validate_password(given)
        except ValidationError as exc:
            raise CommandError(
                _("Kata sandi di %(variable)s terlalu lemah: %(problems)s")
                % {"variable": PASSWORD_ENV, "problems": " ".join(exc.messages)}
            ) from exc
        return given

    def _print_credentials(self, password: str) -> None:
        rows = seed.credentials()
        sign_in = seed.sign_in_url()
        email_width = max(len(r.email) for r in rows)
        role_width = max(len(r.role) for r in rows)
        self.stdout.write("")
        if password == seed.PUBLISHED_PASSWORD:
            self.stdout.write(
                _("Akun demo: kata sandi semua akun %(password)s") % {"password": password}
            )
        else:
            # A private password is never echoed: command output ends up in logs.
            self.stdout.write(
                _("Akun demo: kata sandi semua akun ada di %(variable)s")
                % {"variable": PASSWORD_ENV}
            )
        header = f"{_('email'):{email_width}}  {_('peran'):{role_width}}  {_('masuk di')}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header.rstrip()) + "-" * len(sign_in))
        for row in rows:
            self.stdout.write(f"{row.email:{email_width}}  {row.role:{role_width}}  {sign_in}")
        self.stdout.write("")
        self.stdout.write(_("Situs KIM demo:"))
        sites = seed.subsites()
        name_width = max(len(name) for name, _url in sites)
        for name, url in sites:
            self.stdout.write(f"{name:{name_width}}  {url}")
