from datetime import timedelta

from django.db.models import Count, Q

from qualite.echeances.models import Echeance, RegleEcheance
from qualite.echeances.moteur import bornes_du_jour
from qualite.organisation import access
from qualite.outils import registres


def echeances_pour(user, maintenant=None):
    qs = Echeance.objects.select_related("regle", "etablissement", "satisfaite_par")
    return access.echeances_scope(qs, user).avec_statut(maintenant).order_by("echeance", "id")


def compteurs_echeances(user, maintenant=None) -> dict:
    """Open deadlines: overdue, due today, due within 7 days — one SQL aggregate."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    qs = access.echeances_scope(Echeance.objects.ouvertes(), user)
    return registres.en_cache(lambda: f"{registres.cle_requete('echeances-compteurs', qs)}:{maintenant:%Y%m%d%H%M}",
                              lambda: _compter(qs, maintenant, demain))


def _compter(qs, maintenant, demain) -> dict:
    return qs.aggregate(
        en_retard=Count("id", filter=Q(echeance__lt=maintenant)),
        aujourdhui=Count("id", filter=Q(echeance__gte=maintenant, echeance__lt=demain)),
        sept_jours=Count("id", filter=Q(echeance__gte=demain, echeance__lt=demain + timedelta(days=7))),
    )


def modules_echeances() -> list[str]:
    return list(RegleEcheance.objects.order_by("module").values_list("module", flat=True).distinct())
