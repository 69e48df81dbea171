"""Who sees which records of the user-relations and involuntary-care registers."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from qualite import access

from .models import MesureSoinsSansConsentement
from .models.ssc import TypeActeMesure

T = TypeActeMesure
# Who records which act: medical certificates by the unit's psychiatrists (and the admissions office
# that files them); administrative and judicial acts by the admissions office.
PERMISSION_ACTE = {T.CERTIFICAT_24H: "ssc.certificats", T.CERTIFICAT_72H: "ssc.certificats",
                   T.CERTIFICAT_MENSUEL: "ssc.certificats", T.AVIS_COLLEGE: "ssc.certificats",
                   T.LEVEE: "ssc.lever"}


def permission_acte(type_acte: str) -> str:
    return PERMISSION_ACTE.get(type_acte, "ssc.decisions")


def mesures_scope(qs: QuerySet, user, champ: str = "") -> QuerySet:
    """Admissions office and administrators: their établissements. Psychiatrists: their unit."""
    return access.perimetre(user, "ssc.voir").filtrer(qs, **_chemins_mesure(f"{champ}__" if champ else ""))


def peut_voir_ssc(user) -> bool:
    return not access.perimetre(user, "ssc.voir").vide


def _chemins_mesure(prefixe: str = "") -> dict:
    return {"etablissement": f"{prefixe}etablissement_id", "pole": f"{prefixe}pole_id", "service": f"{prefixe}service_id"}


def peut_ecrire(user, mesure: MesureSoinsSansConsentement, permission: str) -> bool:
    return access.perimetre(user, permission).contient(mesure)


def get_mesure_for_user(user, pk, *, ecriture: str | None = None) -> MesureSoinsSansConsentement:
    """A measure the user may see (404 otherwise); with `ecriture`, one this write permission
    covers too (403 when the user sees it but may not do that)."""
    qs = mesures_scope(MesureSoinsSansConsentement.objects.select_related("patient", "etablissement", "pole", "service"), user)
    mesure = access.objet_ou_404(qs, pk=pk)
    if ecriture and not peut_ecrire(user, mesure, ecriture):
        raise PermissionDenied
    return mesure


def types_actes_permis(user, mesure: MesureSoinsSansConsentement) -> list[str]:
    return [t for t in TypeActeMesure.values if peut_ecrire(user, mesure, permission_acte(t))]


# ---- user relations ------------------------------------------------------------------------

def voit_nominatif_reclamations(user) -> bool:
    return access.has_perm(user, "reclamations.voir_nominatif")


def reclamations_scope(qs: QuerySet, user) -> QuerySet:
    """Relations staff, mediators, direction: named records; CDU and RU: the same records, anonymised by the views."""
    if voit_nominatif_reclamations(user) or access.has_perm(user, "reclamations.voir_anonymise"):
        return access.scope_etablissement(qs.non_archivees(), user)
    return qs.none()


def get_reclamation_for_user(user, pk):
    from .models import Reclamation

    qs = reclamations_scope(Reclamation.objects.select_related("etablissement", "seance_cdu", "ru_accompagnant", "evenement"), user)
    return access.objet_ou_404(qs, pk=pk)


def dossiers_scope(qs: QuerySet, user) -> QuerySet:
    if access.has_perm(user, "dossiers.gerer"):
        return access.scope_etablissement(qs, user)
    return qs.none()


def cdu_scope(qs: QuerySet, user, champ: str = "etablissement") -> QuerySet:
    if access.has_perm(user, "cdu.consulter") or access.has_perm(user, "ru.campagnes"):
        return access.scope_etablissement(qs, user, champ=champ)
    return qs.none()
