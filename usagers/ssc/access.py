from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from qualite.organisation import access
from usagers.ssc.models import MesureSoinsSansConsentement, TypeActeMesure

T = TypeActeMesure


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
