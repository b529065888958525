import time
from pathlib import Path

from django.core.management.base import BaseCommand

from regions.services import DATA_DIR, regions_load


class Command(BaseCommand):
    help = "Load or update provinces, regencies, districts and villages from the shipped data set."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="folder with provinces/regencies/districts/villages .csv or .csv.gz files",
        )

    def handle(self, *args, data_dir: Path, **options) -> None:
        started = time.perf_counter()
        report = regions_load(data_dir=data_dir)
        for label, level in report.levels.items():
            line = (
                f"{label:10} created {level.created:6}  updated {level.updated:6}  "
                f"unchanged {level.unchanged:6}"
            )
            if level.missing_from_data:
                line += f"  not in data (kept) {level.missing_from_data}"
            self.stdout.write(line)
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
