"""Shared builders for the impact tests."""

from datetime import date

from usagers.relations.models import MembreCDU


def membre(etab, nom, role=MembreCDU.Role.RU_TITULAIRE, utilisateur=None):
    return MembreCDU.objects.create(etablissement=etab, nom=nom, role=role, association="Association test",
                                    debut_mandat=date(2023, 1, 1), fin_mandat=date(2027, 12, 31), utilisateur=utilisateur)
