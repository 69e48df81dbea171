"""The readiness view: each criterion's evidence from every register, impératifs first, what is missing,
only from the établissement asked and within the user's reach; a fixed number of queries."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from certification import services
from certification.models import Audit, Autoevaluation, Evaluation, Indicateur
from certification.selectors import preparation
from certification.tests.factories import CritereFactory, ReferentielFactory
from qualite.paqss.models import ActionAmelioration
from qualite.pieces.models import PieceJointe

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref():
    r = ReferentielFactory(version="2025")
    CritereFactory(referentiel=r, code="EX-1", type="standard", methodes_evaluation=["patient_traceur", "observation"])
    CritereFactory(referentiel=r, code="EX-2", type="imperatif")
    CritereFactory(referentiel=r, code="EX-3", type="avance")
    return r


def lignes(ref, monde, user):
    return {ligne.critere.code: ligne for c in preparation(referentiel=ref, etablissement_id=monde.etab_a.pk, user=user)
            for o in c["objectifs"] for ligne in o["lignes"]}


def test_les_preuves_de_chaque_registre_et_ce_qui_manque(monde, ref):
    u = monde.users["gestionnaire_risques"]
    ex1 = ref.criteres.get(code="EX-1")
    ev = Evaluation.objects.create(methode="patient_traceur", date=date(2026, 3, 1), etablissement=monde.etab_a,
                                   evaluateurs="x")
    ev.criteres.add(ex1)
    autre = Evaluation.objects.create(methode="observation", date=date(2026, 3, 1), etablissement=monde.etab_b,
                                      evaluateurs="x")
    autre.criteres.add(ex1)  # another établissement: never counted for A
    audit = Audit.objects.create(titre="Audit", date=date(2026, 4, 1), etablissement=monde.etab_a)
    audit.criteres.add(ex1)
    ind = Indicateur.objects.create(code="i", libelle="I")
    ind.criteres.add(ex1)
    action = ActionAmelioration.objects.create(titre="A", origine="axe", etablissement=monde.etab_a)
    auto = services.autoevaluation_enregistrer(critere=ex1, etablissement_id=monde.etab_a.pk, par=u, niveau="partiel",
                                               commentaire="", actions=[action], evaluations=[ev])
    PieceJointe.objects.create(content_type=ContentType.objects.get_for_model(Autoevaluation), object_id=auto.pk,
                               **_piece())
    resultat = lignes(ref, monde, u)
    l1 = resultat["EX-1"]
    assert (l1.evaluations, l1.audits, l1.documents, l1.actions, l1.indicateurs) == (1, 1, 1, 1, 1)
    # An attachment of the audit citing the criterion is a document too; an archived one is not; one of the
    # other établissement's evaluation never.
    for objet, archivee in ((audit, False), (ev, True), (autre, False)):
        PieceJointe.objects.create(content_type=ContentType.objects.get_for_model(objet), object_id=objet.pk,
                                   archivee=archivee, **_piece(archivee))
    assert lignes(ref, monde, u)["EX-1"].documents == 2
    # A quality document of the établissement linked to the criterion counts once it has a diffused version.
    from qualite.documents.models import Document, LienCritere, VersionDocument

    doc = Document.objects.create(titre="Procédure", type="procedure", etablissement=monde.etab_a, proprietaire=u)
    LienCritere.objects.create(document=doc, critere=ex1, created_by=u)
    version = VersionDocument.objects.create(document=doc, numero=1, **_version())
    assert lignes(ref, monde, u)["EX-1"].documents == 2
    VersionDocument.objects.filter(pk=version.pk).update(statut=VersionDocument.Statut.DIFFUSEE)
    assert lignes(ref, monde, u)["EX-1"].documents == 3
    assert l1.niveau == "Partiellement atteint"
    assert l1.manques == ["méthode « observation »"]
    assert resultat["EX-2"].manques == ["évaluation", "audit", "document", "action", "indicateur", "auto-évaluation"]


def _piece(archivee=False):
    """A stored attachment's row (the file itself does not matter to the count)."""
    from django.utils import timezone

    archive = {"archivee_le": timezone.now(), "motif_archivage": "remplacée"} if archivee else {}
    return {"nom": "procedure.pdf", "fichier": "pieces/procedure.pdf", "taille": 10, "type_mime": "application/pdf",
            "sha256": "0" * 64, **archive}


def test_les_imperatifs_d_abord_et_la_condition_d_une_visite_compte_comme_action(monde, ref, client_de):
    u = monde.users["gestionnaire_risques"]
    visite = services.visite_enregistrer(par=u, donnees={
        "etablissement": monde.etab_a, "referentiel": ref, "date_debut": date(2026, 5, 4), "date_fin": date(2026, 5, 6),
        "decision": "conditions", "decision_le": date(2026, 9, 1)})
    services.visite_constater(visite=visite, critere=ref.criteres.get(code="EX-3"), appreciation="non_atteint",
                              constat="", par=u)
    services.visite_ajouter_condition(visite=visite, libelle="Lever l'écart", echeance=date(2027, 3, 1), par=u,
                                      critere=ref.criteres.get(code="EX-3"))
    page = client_de(u).get(reverse("certification:preparation"), {"etablissement": monde.etab_a.pk})
    assert page.status_code == 200
    texte = page.content.decode()
    assert texte.index("EX-2") < texte.index("EX-1") < texte.index("EX-3")
    assert "dont 1 sans preuve" in texte
    l3 = lignes(ref, monde, u)["EX-3"]
    assert l3.actions == 1 and l3.constat == "Non atteint"


def test_un_etablissement_hors_perimetre_n_est_pas_propose(monde, ref, client_de):
    page = client_de(monde.users["gestionnaire_risques"]).get(reverse("certification:preparation"),
                                                               {"etablissement": monde.etab_b.pk})
    assert page.status_code == 200 and page.context["form"].errors["etablissement"]
    assert page.context["chapitres"] == []
    assert client_de(monde.users["declarant"]).get(reverse("certification:preparation")).status_code == 403


def test_un_nombre_de_requetes_fixe(monde, client_de, django_assert_max_num_queries):
    r = ReferentielFactory(version="grand")
    for i in range(30):
        c = CritereFactory(referentiel=r, code=f"G-{i}")
        ev = Evaluation.objects.create(methode="observation", date=date(2026, 1, 1), etablissement=monde.etab_a,
                                       evaluateurs="x")
        ev.criteres.add(c)
    client = client_de(monde.users["gestionnaire_risques"])
    client.get(reverse("certification:preparation"))
    with django_assert_max_num_queries(22):
        page = client.get(reverse("certification:preparation"), {"etablissement": monde.etab_a.pk})
    assert page.content.decode().count('id="critere-') == 30


def _version():
    return {"nom": "procedure.pdf", "fichier": "documents/procedure.pdf", "taille": 10, "type_mime": "application/pdf",
            "sha256": "0" * 64}
