"""`manage.py refresh_stats`: recompute the statistics summary tables now (beat does it every
STATS_REFRESH_MINUTES), e.g. after a bulk load."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stats import services
from stats.models import CommunityActivity, RegionSummary


class Command(BaseCommand):
    help = _("Hitung ulang tabel ringkasan statistik (wilayah, bulan, keaktifan KIM) sekarang.")

    def handle(self, *args, **options) -> None:
        services.summaries_refresh()
        self.stdout.write(
            _("Statistik diperbarui: %(areas)d wilayah, %(kims)d KIM.")
            % {
                "areas": RegionSummary.objects.count(),
                "kims": CommunityActivity.objects.count(),
            }
        )
