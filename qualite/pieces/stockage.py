"""Where attachments live: the storage aliased "pieces" in settings.STORAGES (a local folder outside
MEDIA_ROOT by default, an S3-compatible bucket by configuration: docs/pieces-jointes.md)."""

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class StockagePrive(FileSystemStorage):
    """A folder with no public URL: files leave it only through the download view, which checks access."""

    def url(self, name):
        raise NotImplementedError("Les pièces jointes ne sont servies que par la vue de téléchargement.")


class _StockagePieces(LazyObject):
    def _setup(self):
        self._wrapped = storages["pieces"]


STOCKAGE = _StockagePieces()


def stockage():
    """The model field's storage (a callable, so migrations do not freeze the configured backend)."""
    return STOCKAGE


@receiver(setting_changed)
def _reinitialiser(*, setting, **kwargs):
    if setting == "STORAGES":
        STOCKAGE._wrapped = empty
