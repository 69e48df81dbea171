"""The API's anonymised complaints are the pages' rows (usagers.relations.selectors), not a second rule."""

from datetime import date

from qualite.organisation.roles import Role as R
from usagers.relations.access import reclamations_scope
from usagers.relations.models import Reclamation
from usagers.relations.selectors import reclamations_anonymisees


def test_la_forme_anonyme_de_l_api_est_celle_des_pages(monde, api):
    valide = Reclamation.objects.create(
        reference="REC-T-1", etablissement=monde.etab_a, nature="reclamation", canal="courrier",
        categories=["soins"], auteur_nom="M. NOMINATIF", patient_nom="PATIENT-NOMINATIF", objet="Objet nominatif",
        resume_anonymise="Résumé validé", resume_valide=True, recue_le=date(2026, 1, 5))
    valide.services.set([monde.service_a, monde.service_a2])
    Reclamation.objects.create(
        reference="REC-T-2", etablissement=monde.etab_a, nature="plainte", canal="oral", categories=[],
        auteur_nom="Mme NOMINATIVE", resume_anonymise="Résumé pas encore relu", resume_valide=False,
        recue_le=date(2026, 1, 4))
    cdu = monde.users[R.MEMBRE_CDU]
    lignes = api(cdu).get("/api/v1/reclamations/").json()["results"]
    attendues = list(reclamations_anonymisees(reclamations_scope(Reclamation.objects.all(), cdu)
                                              .order_by("-recue_le", "-id")))
    assert [ligne["reference"] for ligne in lignes] == ["REC-T-1", "REC-T-2"]
    for ligne, attendue in zip(lignes, attendues, strict=True):
        assert ligne["resume"] == attendue["resume"] and ligne["services_noms"] == attendue["services_noms"]
        assert ligne["etablissement_nom"] == attendue["etablissement__nom"]
        assert set(ligne) == {c for c in attendue if "__" not in c} | {"etablissement_nom"}
    assert lignes[0]["resume"] == "Résumé validé" and lignes[1]["resume"] is None
    fiche = api(cdu).get(f"/api/v1/reclamations/{valide.pk}/").json()
    assert fiche == lignes[0] and "NOMINATI" not in str(fiche)
