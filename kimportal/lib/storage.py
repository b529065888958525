"""Storage backends of our own, and the private storage used by model fields."""

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk that have no public URL: read them in a view that checks permission."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files are never served by URL")


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (like Django's default_storage), so that
    a FileField bound to it follows the settings in force rather than those at import time."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private = _PrivateStorage()


def private_storage() -> _PrivateStorage:
    return private


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private._wrapped = empty
