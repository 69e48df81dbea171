from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors
from .echeances import bornes_du_jour
from .models import Utilisateur


def digest_echeances_envoyer(*, utilisateur: Utilisateur, maintenant=None) -> bool:
    """Mail one user the deadlines overdue, due today and due within 7 days. False if nothing to say."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    qs = selectors.echeances_pour(utilisateur, maintenant).filter(
        satisfaite_le__isnull=True, sans_objet=False, echeance__lt=demain + timedelta(days=7)
    )
    echeances = list(qs[:500])
    if not echeances or not utilisateur.email:
        return False
    groupes = {
        "en_retard": [e for e in echeances if e.statut_calcule == "en_retard"],
        "aujourdhui": [e for e in echeances if e.statut_calcule == "du_aujourdhui"],
        "a_venir": [e for e in echeances if e.statut_calcule == "a_venir"],
    }
    contexte = {
        "utilisateur": utilisateur,
        "groupes": groupes,
        "site_url": settings.SITE_URL.rstrip("/"),
        "jour": timezone.localtime(maintenant).date(),
    }
    sujet = (
        f"Échéances : {len(groupes['en_retard'])} en retard, {len(groupes['aujourdhui'])} aujourd'hui, "
        f"{len(groupes['a_venir'])} dans les 7 jours"
    )
    send_mail(
        sujet,
        render_to_string("qualite/mail/digest_echeances.txt", contexte),
        settings.DEFAULT_FROM_EMAIL,
        [utilisateur.email],
    )
    return True
