from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from qualite.echeances import selectors
from qualite.echeances.models import RegleEcheance
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


# ---- editing a rule's delay -------------------------------------------------------------------------------

def regle_modifier(*, regle_id: int, par: Utilisateur, avant: str, delai, delai_mois, paliers_mois, a_verifier: bool,
                   motif: str) -> RegleEcheance:
    """An administrator sets a rule's delay: recorded (who, when, why, history), and every record with a deadline
    of this rule recomputed in the background (open deadlines move; satisfied ones stay as they were met).
    `avant` is the delay the page showed: a rule changed meanwhile by someone else is refused, not overwritten."""
    from qualite.echeances.tasks import recalculer_regle
    from qualite.taches.services import tache_differer

    err = {}
    if not motif.strip():
        err["motif"] = "Indiquez pourquoi ce délai change (texte, décision de la direction…)."
    with transaction.atomic():
        regle = RegleEcheance.objects.select_for_update().get(pk=regle_id)
        if regle.delai_texte != avant:
            qui = regle.modifiee_par.get_full_name() if regle.modifiee_par else "quelqu'un d'autre"
            raise ValidationError({"__all__": f"Ce délai a été modifié entre-temps par {qui} ({regle.delai_texte}) : "
                                              "rechargez la page avant de le changer."})
        if err:
            raise ValidationError(err)
        regle.delai, regle.delai_mois, regle.paliers_mois = delai, delai_mois, list(paliers_mois or [])
        regle.a_verifier = a_verifier
        regle.modifiee_le, regle.modifiee_par, regle.motif_modification = timezone.now(), par, motif.strip()[:255]
        regle.save()
        tache_differer(recalculer_regle, regle.code)
    return regle
