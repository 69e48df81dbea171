from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from qualite.echeances import selectors
from qualite.echeances.moteur import bornes_du_jour
from qualite.organisation.models import Utilisateur


def digest_echeances_envoyer(*, utilisateur: Utilisateur, maintenant=None) -> bool:
    """Mail one user the deadlines overdue, due today and due within 7 days. False if nothing to say."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    # Within 7 days, or earlier when the rule asks for an earlier alert (EIGS part 2: 15 days).
    qs = (
        selectors.echeances_pour(utilisateur, maintenant)
        .filter(satisfaite_le__isnull=True, sans_objet=False)
        .annotate(alerte_des=ExpressionWrapper(F("echeance") - F("regle__alerte_avant"), output_field=DateTimeField()))
        .filter(Q(echeance__lt=demain + timedelta(days=7)) | Q(alerte_des__lte=maintenant))
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
        render_to_string("qualite/echeances/mail/digest_echeances.txt", contexte),
        settings.DEFAULT_FROM_EMAIL,
        [utilisateur.email],
    )
    return True
