"""Run once after deploying unguessable rendition paths; safe to run again (resumable)."""

from django.core.management.base import BaseCommand

from posts.images import images_secure_existing


class Command(BaseCommand):
    help = (
        "Move renditions stored at r/<kim>/<image id>/ to random token paths, and withdraw the "
        "files of posts that are not public (taken down, hidden by reports, KIM suspended)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="photos read per query")

    def handle(self, *args, batch: int, **options) -> None:
        retokened, followed = images_secure_existing(batch=batch)
        self.stdout.write(
            f"{retokened} photo(s) moved to token paths; {followed} photo(s) withdrawn or restored."
        )
