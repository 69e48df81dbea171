import pytest


@pytest.fixture(autouse=True)
def stockage_pieces(settings, tmp_path):
    """Each test's attachments in a folder of its own: what it leaves in storage can be counted."""
    dossier = tmp_path / "pieces"
    settings.STORAGES = {**settings.STORAGES, "pieces": {**settings.STORAGES["pieces"],
                                                         "OPTIONS": {"location": str(dossier)}}}
    return dossier


def fichiers_stockes(dossier) -> list:
    return [p for p in dossier.rglob("*") if p.is_file()] if dossier.exists() else []
