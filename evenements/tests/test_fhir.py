"""FHIR AdverseEvent export: each resource produced passes fhir.resources' validation (R5 and R4B), the near
miss is `potential`, the CDU gets the anonymised shape, the pages' scope and permissions hold, the bundle
keeps the register's filters in a fixed number of queries."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.adverseevent import AdverseEvent as AdverseEventR5
from fhir.resources.bundle import Bundle as BundleR5
from fhir.resources.R4B.adverseevent import AdverseEvent as AdverseEventR4
from fhir.resources.R4B.bundle import Bundle as BundleR4

from conftest import texte
from evenements.models import AnalyseApprofondie, EvenementIndesirable, FacteurContributif, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.api.tests.conftest import ClientAPI
from qualite.organisation.models import AuditEntry

pytestmark = pytest.mark.django_db

CLASSES = {"R5": (AdverseEventR5, BundleR5), "R4": (AdverseEventR4, BundleR4)}
HIER = timezone.now() - timedelta(days=1)


def _periode(**kw):
    jour = timezone.localdate()
    return {"du": (jour - timedelta(days=30)).isoformat(), "au": jour.isoformat(), "version": "R5", **kw}


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/fhir+json"), response["Content-Type"]
    return json.loads(response.content)


@pytest.fixture
def ev(monde):
    ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], survenu_le=HIER,
                          description="Mme DUPONT-SECRET a chuté", mesures_immediates="Relevée par l'IDE",
                          consequences="Hématome", gravite=4, vraisemblance=2, inattendu=True, deces=False,
                          mise_en_jeu_pronostic_vital=True, est_eigs=True, resume_anonymise="Chute lors d'un transfert",
                          qualifie_le=timezone.now(), personnes=["patient", "visiteur"])
    analyse = AnalyseApprofondie.objects.create(evenement=ev, date=date(2026, 1, 5), participants="IDE",
                                                created_by=monde.users["gestionnaire_risques"])
    FacteurContributif.objects.create(analyse=analyse, categorie="equipe", description="Transmission incomplète",
                                      created_by=monde.users["gestionnaire_risques"])
    FacteurContributif.objects.create(analyse=analyse, categorie="tache", description="RETIRÉ", retire_le=timezone.now(),
                                      created_by=monde.users["gestionnaire_risques"])
    return ev


class TestRessource:
    @pytest.mark.parametrize("version", ["R5", "R4"])
    def test_la_ressource_passe_la_validation_fhir_resources(self, monde, client_de, ev, version):
        reponse = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:fhir", args=[ev.pk]),
                                                                     {"version": version})
        assert reponse.status_code == 200
        assert "no-store" in reponse["Cache-Control"]
        donnees = _json(reponse)
        CLASSES[version][0].model_validate(donnees)  # raises on an invalid resource
        assert donnees["actuality"] == "actual"
        assert donnees["seriousness"]["coding"][0]["code"] == "serious"
        assert donnees["subject"]["type"] == "Patient"
        assert [c["coding"][0]["code"] for c in donnees["category"]] == ["patient", "visiteur"]
        statut = next(e for e in donnees["extension"] if e["url"].endswith("/statut-evenement"))
        assert statut["valueCoding"]["code"] == "declare"
        if version == "R5":
            assert donnees["status"] == "in-progress"
            assert donnees["code"]["text"] == ev.type.libelle
            assert donnees["identifier"][0]["value"] == ev.reference
            assert donnees["note"][0]["text"] == ev.description
            # The withdrawn factor stays out: only the analysis' active factors.
            assert [f["itemCodeableConcept"]["coding"][0]["code"] for f in donnees["contributingFactor"]] == ["equipe"]
            assert "severity" not in donnees and "event" not in donnees
        else:
            assert donnees["event"]["text"] == ev.type.libelle
            assert donnees["identifier"]["value"] == ev.reference
            assert donnees["severity"]["coding"][0]["code"] == "severe"
            assert "status" not in donnees and "code" not in donnees and "contributingFactor" not in donnees
            assert "DUPONT-SECRET" in donnees["text"]["div"]

    def test_le_presque_accident_est_potential(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], presque_accident=True)
        client = client_de(monde.users["gestionnaire_risques"])
        for version in ("R5", "R4"):
            donnees = _json(client.get(reverse("evenements:fhir", args=[ev.pk]), {"version": version}))
            assert donnees["actuality"] == "potential"
            assert "seriousness" not in donnees  # not qualified yet: no seriousness invented

    def test_l_export_est_trace(self, monde, client_de, ev):
        client_de(monde.users["direction"]).get(reverse("evenements:fhir", args=[ev.pk]))
        entree = AuditEntry.objects.get(action="export", object_id=str(ev.pk))
        assert entree.details["format"] == "FHIR R5"

    def test_declarant_confidentiel_non_nomme(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], confidentiel=True)
        donnees = _json(client_de(monde.users["direction"]).get(reverse("evenements:fhir", args=[ev.pk])))
        assert "recorder" not in donnees
        donnees = _json(client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:fhir", args=[ev.pk])))
        assert donnees["recorder"]["display"] == str(monde.users["declarant"])


class TestAcces:
    def test_hors_perimetre_404(self, monde, client_de):
        ev_b = EvenementFactory(service=monde.service_b, created_by=monde.user_b)
        assert client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:fhir", args=[ev_b.pk])).status_code == 404

    @pytest.mark.parametrize("role", ["cadre_pole", "declarant"])
    def test_sans_permission_403_meme_sur_un_evenement_visible(self, monde, client_de, ev, role):
        client = client_de(monde.users[role])
        assert client.get(reverse("evenements:detail", args=[ev.pk])).status_code == 200
        assert client.get(reverse("evenements:fhir", args=[ev.pk])).status_code == 403
        assert "Export FHIR" not in texte(client.get(reverse("evenements:detail", args=[ev.pk])))

    def test_bouton_visible_a_qui_a_la_permission(self, monde, client_de, ev):
        page = texte(client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:detail", args=[ev.pk])))
        assert "Export FHIR" in page

    def test_lot_refuse_sans_permission(self, monde, client_de):
        assert client_de(monde.users["cadre_pole"]).get(reverse("evenements:fhir_lot"), _periode()).status_code == 403


class TestLot:
    def test_periode_invalide_message_francais_rien_produit(self, monde, client_de):
        client = client_de(monde.users["gestionnaire_risques"])
        reponse = client.get(reverse("evenements:fhir_lot"), _periode(du="2026-05-10", au="2026-05-01"))
        assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/html")
        assert "La fin de la période doit suivre son début." in texte(reponse)
        reponse = client.get(reverse("evenements:fhir_lot"), _periode(du="2024-01-01", au="2026-01-01"))
        assert "La période ne peut dépasser 366 jours" in texte(reponse)
        reponse = client.get(reverse("evenements:fhir_lot"), {"version": "R5", "au": "2026-01-01"})
        assert "Ce champ est obligatoire." in texte(reponse)
        reponse = client.get(reverse("evenements:fhir_lot"), _periode(du="3026-01-01"))
        assert "Saisissez une date comprise entre 1900 et 2100." in texte(reponse)
        assert not AuditEntry.objects.filter(action="export").exists()

    def test_le_lien_du_registre_preremplit_sans_telecharger(self, monde, client_de):
        reponse = client_de(monde.users["gestionnaire_risques"]).get(
            reverse("evenements:fhir_lot"), {"du": "2026-01-01", "gravite": "3", "export": "fhir"})
        assert reponse["Content-Type"].startswith("text/html")
        assert 'value="2026-01-01"' in reponse.content.decode()
        assert 'name="gravite" value="3"' in reponse.content.decode()

    @pytest.mark.parametrize("version", ["R5", "R4"])
    def test_bundle_valide_filtres_et_perimetre(self, monde, client_de, ev, version):
        autre_type = TypeEvenement.objects.create(libelle="Autre type FHIR")
        filtre = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], survenu_le=HIER,
                                  type=autre_type)
        EvenementFactory(service=monde.service_b, created_by=monde.user_b, survenu_le=HIER, type=autre_type)
        ancien = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"],
                                  survenu_le=timezone.now() - timedelta(days=90), type=autre_type)
        client = client_de(monde.users["gestionnaire_risques"])
        donnees = _json(client.get(reverse("evenements:fhir_lot"), _periode(version=version, type=autre_type.pk)))
        CLASSES[version][1].model_validate(donnees)
        assert donnees["type"] == "collection"
        assert [e["resource"]["id"] for e in donnees["entry"]] == [str(filtre.pk)]  # not B, not ancien, not ev
        tous = _json(client.get(reverse("evenements:fhir_lot"), _periode(version=version)))
        assert {e["resource"]["id"] for e in tous["entry"]} == {str(filtre.pk), str(ev.pk)}
        assert str(ancien.pk) not in {e["resource"]["id"] for e in tous["entry"]}
        audit = AuditEntry.objects.filter(action="export").order_by("pk").last()
        assert sorted(audit.details["ids"]) == sorted([filtre.pk, ev.pk])

    @pytest.mark.parametrize("role", ["membre_cdu", "representant_usagers"])
    def test_cdu_et_representants_recoivent_l_anonymise(self, monde, client_de, ev, role):
        EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], survenu_le=HIER,
                         description="NON-EIGS")
        EvenementFactory(service=monde.service_b, created_by=monde.user_b, survenu_le=HIER, est_eigs=True,
                         inattendu=True, deces=True, resume_anonymise="RESUME-B")
        client = client_de(monde.users[role])
        assert client.get(reverse("evenements:fhir", args=[ev.pk])).status_code == 404
        for version in ("R5", "R4"):
            reponse = client.get(reverse("evenements:fhir_lot"), _periode(version=version))
            contenu = reponse.content.decode()
            donnees = _json(reponse)
            CLASSES[version][1].model_validate(donnees)
            assert len(donnees["entry"]) == 1
            ressource = donnees["entry"][0]["resource"]
            for secret in ("DUPONT-SECRET", "Relevée", "Hématome", ev.reference, "Cardiologie", "NON-EIGS", "RESUME-B"):
                assert secret not in contenu, secret
            assert "Chute lors d" in contenu
            assert "id" not in ressource and "identifier" not in ressource and "recorder" not in ressource
            assert ressource["location"]["display"] == monde.pole_a.nom
            assert (ressource["occurrenceDateTime"] if version == "R5" else ressource["date"]) == \
                timezone.localtime(HIER).strftime("%Y-%m")

    def test_nombre_de_requetes_borne(self, monde, client_de, django_assert_max_num_queries):
        client = client_de(monde.users["gestionnaire_risques"])
        client.get(reverse("evenements:fhir_lot"), _periode())  # session, caches

        def ajouter(n):
            for _ in range(n):
                e = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], survenu_le=HIER)
                a = AnalyseApprofondie.objects.create(evenement=e, date=date(2026, 1, 5), participants="x",
                                                      created_by=e.created_by)
                FacteurContributif.objects.create(analyse=a, categorie="tache", description="f", created_by=e.created_by)

        ajouter(3)
        with django_assert_max_num_queries(12) as petit:
            assert len(_json(client.get(reverse("evenements:fhir_lot"), _periode()))["entry"]) == 3
        ajouter(20)
        with django_assert_max_num_queries(len(petit.captured_queries)):
            assert len(_json(client.get(reverse("evenements:fhir_lot"), _periode()))["entry"]) == 23


class TestPresqueAccident:
    def test_declare_et_qualifie(self, monde, client_de):
        client = client_de(monde.users["gestionnaire_risques"])
        reponse = client.post(reverse("evenements:declarer"), {
            "survenu_le": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "service": monde.service_a.pk, "type": TypeEvenement.objects.first().pk, "description": "Erreur évitée",
            "personnes": ["patient"], "gravite_estimee": "3", "presque_accident": "on"})
        assert reponse.status_code == 302
        ev = EvenementIndesirable.objects.get()
        assert ev.presque_accident is True
        page = texte(client.get(reverse("evenements:detail", args=[ev.pk])))
        assert "Presque accident" in page and "évènement évité" in page
        client.post(reverse("evenements:qualifier", args=[ev.pk]), {
            "gravite": "3", "vraisemblance": "2", "revision": ev.revision})
        ev.refresh_from_db()
        assert ev.presque_accident is False and ev.gravite == 3

    def test_colonne_de_l_export_du_registre(self, monde, client_de):
        EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], presque_accident=True)
        reponse = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:liste"), {"export": "csv"})
        lignes = list(csv.reader(io.StringIO(b"".join(reponse.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert lignes[1][lignes[0].index("Presque accident")] == "oui"

    def test_dans_l_api(self, monde):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], presque_accident=True)
        donnees = ClientAPI(monde.users["gestionnaire_risques"]).get(f"/api/v1/evenements/{ev.pk}/").json()
        assert donnees["presque_accident"] is True


class TestAPI:
    def test_par_id_valide_et_trace(self, monde, ev):
        api = ClientAPI(monde.users["gestionnaire_risques"])
        for version in ("R5", "R4"):
            reponse = api.get(f"/api/v1/evenements/{ev.pk}/fhir/", {"version": version})
            assert reponse.status_code == 200
            CLASSES[version][0].model_validate(_json(reponse))
        assert AuditEntry.objects.filter(action="export", object_id=str(ev.pk)).count() == 2
        assert api.get(f"/api/v1/evenements/{ev.pk}/fhir/", {"version": "R3"}).status_code == 400

    def test_par_id_perimetre_et_permission(self, monde, ev):
        ev_b = EvenementFactory(service=monde.service_b, created_by=monde.user_b)
        assert ClientAPI(monde.users["gestionnaire_risques"]).get(f"/api/v1/evenements/{ev_b.pk}/fhir/").status_code == 404
        assert ClientAPI(monde.users["cadre_pole"]).get(f"/api/v1/evenements/{ev.pk}/fhir/").status_code == 403
        assert ClientAPI(monde.users["membre_cdu"]).get(f"/api/v1/evenements/{ev.pk}/fhir/").status_code == 404

    def test_bundle_par_periode(self, monde, ev):
        EvenementFactory(service=monde.service_b, created_by=monde.user_b, survenu_le=HIER)
        reponse = ClientAPI(monde.users["gestionnaire_risques"]).get("/api/v1/evenements/fhir/", _periode(version="R4"))
        assert reponse.status_code == 200
        donnees = _json(reponse)
        BundleR4.model_validate(donnees)
        assert [e["resource"]["id"] for e in donnees["entry"]] == [str(ev.pk)]
        anonyme = ClientAPI(monde.users["membre_cdu"]).get("/api/v1/evenements/fhir/", _periode())
        assert anonyme.status_code == 200 and "DUPONT-SECRET" not in anonyme.content.decode()
        assert ClientAPI(monde.users["cadre_pole"]).get("/api/v1/evenements/fhir/", _periode()).status_code == 403

    def test_bundle_periode_invalide_400_en_francais(self, monde):
        reponse = ClientAPI(monde.users["gestionnaire_risques"]).get("/api/v1/evenements/fhir/",
                                                                    _periode(du="2026-05-10", au="2026-05-01"))
        assert reponse.status_code == 400
        assert reponse.json() == {"au": ["La fin de la période doit suivre son début."]}

    def test_schema_openapi_decrit_les_actions(self, monde):
        schema = ClientAPI(monde.users["gestionnaire_risques"]).client.get("/api/v1/schema/?format=json").json()
        assert "/api/v1/evenements/fhir/" in schema["paths"]
        assert "/api/v1/evenements/{id}/fhir/" in schema["paths"]
        reponses = schema["paths"]["/api/v1/evenements/fhir/"]["get"]["responses"]["200"]["content"]
        assert "application/fhir+json" in reponses
