"""The risk map's key figures (qualite/pilotage/chiffres.py): as the map stood on 31 December of each year."""

from datetime import date

from django.db.models import Q

from qualite.pilotage.chiffres import Chiffre, enregistrer


def _cotes(annee: int) -> Q:
    """Risks on the map on 31 December: scored by then, not archived by then."""
    fin = date(annee, 12, 31)
    return Q(cotations__date__lte=fin) & (Q(archive_le__isnull=True) | Q(archive_le__gt=fin))


def enregistrer_chiffres():
    from qualite.risques.models import Risque, RisqueEvenement

    enregistrer(Chiffre(
        "risques", "risques a priori cotés sur la cartographie",
        "Risques de la cartographie cotés au 31 décembre de l'année et non archivés à cette date (cotations "
        "datées : une cotation postérieure ne compte pas pour l'année).", "qualite", 65,
        lambda: Risque.objects.all(), "etablissement", None, "pole", au_31_decembre=_cotes,
        singulier="risque a priori coté sur la cartographie"))
    enregistrer(Chiffre(
        "risques_evenements", "évènements indésirables rattachés à un risque de la cartographie",
        "Rattachements confirmés par le gestionnaire des risques, comptés l'année où l'évènement est survenu.",
        "qualite", 66, lambda: RisqueEvenement.objects.filter(statut=RisqueEvenement.Statut.CONFIRME),
        "risque__etablissement", "evenement__survenu_le", "risque__pole",
        singulier="évènement indésirable rattaché à un risque de la cartographie"))
