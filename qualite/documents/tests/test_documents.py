"""The document system: workflow order and separation of duties, concurrent moves, diffusion and
acknowledgements, scoping, search, review-date deadline, links, downloads audited."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import texte
from qualite.documents import selectors, services
from qualite.documents.models import AccuseLecture, EtapeVersion, VersionDocument
from qualite.documents.tests.outils import DOCX_MIME, document_de_test, docx, pdf, publier, televersement
from qualite.organisation.models import AuditEntry
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.outils.revisions import ConflitDeRevision

pytestmark = pytest.mark.django_db
Statut = VersionDocument.Statut


@pytest.fixture
def equipe(monde):
    """A writer, a verifier (another quality officer), the direction to approve, and two agents:
    one in the targeted service, one elsewhere in the same établissement."""
    return {
        "redacteur": monde.users["gestionnaire_risques"],
        "verificateur": UtilisateurFactory(username="qualiticien2", roles=[Role.GESTIONNAIRE_RISQUES],
                                           etablissements=[monde.etab_a]),
        "approbateur": monde.users["direction"],
        "diffuseur": monde.users["administrateur"],
        "membre": monde.users["declarant"],  # service_a
        "autre": UtilisateurFactory(username="agent_a2", roles=[Role.DECLARANT], etablissements=[monde.etab_a],
                                    pole=monde.pole_a2, service=monde.service_a2),
    }


def _publie(monde, equipe, **kwargs):
    document = document_de_test(monde, par=equipe["redacteur"], **kwargs)
    version = publier(document, redacteur=equipe["redacteur"], verificateur=equipe["verificateur"],
                      approbateur=equipe["approbateur"], diffuseur=equipe["diffuseur"],
                      cibles={"services": [monde.service_a]})
    return document, version


# ---- workflow ---------------------------------------------------------------------------------------------

def test_le_circuit_suit_son_ordre_et_chaque_etape_est_enregistree(monde, equipe):
    document = document_de_test(monde, par=equipe["redacteur"])
    version = document.versions.get()
    assert version.statut == Statut.REDACTION and version.numero == 1
    with pytest.raises(ValidationError, match="Passage impossible"):
        services.version_transition(version=version, vers=Statut.APPROUVEE, par=equipe["approbateur"])
    with pytest.raises(ValidationError, match="Passage impossible"):
        services.version_transition(version=version, vers=Statut.DIFFUSEE, par=equipe["diffuseur"],
                                    cibles={"services": [monde.service_a]})
    version = publier(document, redacteur=equipe["redacteur"], verificateur=equipe["verificateur"],
                      approbateur=equipe["approbateur"], diffuseur=equipe["diffuseur"],
                      cibles={"services": [monde.service_a]})
    assert version.statut == Statut.DIFFUSEE
    assert (version.verifiee_par, version.approuvee_par, version.diffusee_par) == (
        equipe["verificateur"], equipe["approbateur"], equipe["diffuseur"])
    etapes = list(EtapeVersion.objects.filter(version=version).values_list("vers", "par__username"))
    assert etapes == [("redaction", "gestionnaire_risques"), ("verification", "gestionnaire_risques"),
                      ("approbation", "qualiticien2"), ("approuvee", "direction"), ("diffusee", "administrateur")]
    assert version.events.count() >= 5  # pghistory keeps every state
    document.refresh_from_db()
    assert document.statut == Statut.DIFFUSEE


def test_le_redacteur_ne_peut_ni_verifier_ni_approuver_sa_version(monde, equipe):
    document = document_de_test(monde, par=equipe["redacteur"])
    version = services.version_transition(version=document.versions.get(), vers=Statut.VERIFICATION,
                                          par=equipe["redacteur"])
    with pytest.raises(ValidationError, match="autre personne que le rédacteur"):
        services.version_transition(version=version, vers=Statut.APPROBATION, par=equipe["redacteur"])
    version = services.version_transition(version=version, vers=Statut.APPROBATION, par=equipe["verificateur"])
    with pytest.raises(ValidationError, match="L'approbation doit être faite par une autre personne"):
        services.version_transition(version=version, vers=Statut.APPROUVEE, par=equipe["redacteur"])
    assert [v for v, _ in services.mouvements_possibles(version, equipe["redacteur"])] == ["redaction"]


def test_un_declarant_ne_fait_aucune_etape(monde, equipe):
    document = document_de_test(monde, par=equipe["redacteur"])
    with pytest.raises(ValidationError, match="pas la permission"):
        services.version_transition(version=document.versions.get(), vers=Statut.VERIFICATION,
                                    par=equipe["membre"])


def test_renvoyer_en_redaction_demande_un_commentaire(monde, equipe):
    document = document_de_test(monde, par=equipe["redacteur"])
    version = services.version_transition(version=document.versions.get(), vers=Statut.VERIFICATION,
                                          par=equipe["redacteur"])
    with pytest.raises(ValidationError) as exc:
        services.version_transition(version=version, vers=Statut.REDACTION, par=equipe["verificateur"])
    assert "Indiquez ce qui doit être repris." in exc.value.message_dict["commentaire"]
    version = services.version_transition(version=version, vers=Statut.REDACTION, par=equipe["verificateur"],
                                          commentaire="Ajouter le logigramme.")
    assert version.statut == Statut.REDACTION


def test_une_nouvelle_version_diffusee_archive_la_precedente(monde, equipe):
    document, v1 = _publie(monde, equipe)
    with pytest.raises(ValidationError):  # one version at a time in the workflow
        fichier = televersement()
        from qualite.pieces.verification import controler

        services.version_deposer(document=document, par=equipe["redacteur"], fichier=fichier, nom="v2.pdf",
                                 controle=controler(fichier))
        services.version_deposer(document=document, par=equipe["redacteur"], fichier=fichier, nom="v3.pdf",
                                 controle=controler(fichier))
    v2 = document.versions.get(numero=2)
    document.refresh_from_db()
    assert document.statut == Statut.DIFFUSEE  # v1 is still the one in force
    for vers, par in (("verification", "redacteur"), ("approbation", "verificateur"), ("approuvee", "approbateur")):
        v2 = services.version_transition(version=v2, vers=vers, par=equipe[par])
    services.version_transition(version=v2, vers=Statut.DIFFUSEE, par=equipe["diffuseur"],
                                cibles={"roles": [Role.DECLARANT]})
    v1.refresh_from_db()
    assert v1.statut == Statut.ARCHIVEE and v1.archivee_le is not None
    assert document.versions.filter(statut=Statut.DIFFUSEE).get().numero == 2


def test_deux_clics_simultanes_ne_font_qu_une_etape(monde, equipe):
    """Both pages were loaded at the same revision: the second move is refused, nothing written twice."""
    document = document_de_test(monde, par=equipe["redacteur"])
    version = document.versions.get()
    revision = version.revision
    services.version_transition(version=version, vers=Statut.VERIFICATION, par=equipe["redacteur"],
                                revision=revision)
    with pytest.raises(ConflitDeRevision, match="Modifié entre-temps"):
        services.version_transition(version=version, vers=Statut.VERIFICATION, par=equipe["redacteur"],
                                    revision=revision)
    assert EtapeVersion.objects.filter(version=version, vers=Statut.VERIFICATION).count() == 1


def test_la_page_refuse_le_second_envoi_d_une_meme_etape(monde, equipe, client):
    document = document_de_test(monde, par=equipe["redacteur"])
    version = document.versions.get()
    client.force_login(equipe["redacteur"])
    url = reverse("documents:mouvement", args=[version.pk])
    donnees = {"vers": "verification", "revision": version.revision, "commentaire": ""}
    assert client.post(url, donnees).status_code == 302
    page = texte(client.post(url, donnees, follow=True))
    assert "Modifié entre-temps" in page
    assert EtapeVersion.objects.filter(version=version, vers=Statut.VERIFICATION).count() == 1


def test_la_fiche_ne_propose_que_les_etapes_permises(monde, equipe, client):
    document = document_de_test(monde, par=equipe["redacteur"])
    version = services.version_transition(version=document.versions.get(), vers=Statut.VERIFICATION,
                                          par=equipe["redacteur"])
    client.force_login(equipe["redacteur"])
    page = texte(client.get(reverse("documents:detail", args=[document.pk])))
    assert ">Vérifier<" not in page and "Renvoyer en rédaction" in page
    client.force_login(equipe["verificateur"])
    page = texte(client.get(reverse("documents:detail", args=[document.pk])))
    assert ">Vérifier<" in page
    client.force_login(equipe["membre"])  # a reader: the draft does not even exist for him
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert version.statut == Statut.VERIFICATION


# ---- diffusion and acknowledgements -----------------------------------------------------------------------

def test_diffusion_a_un_service_lecture_et_taux(monde, equipe, client):
    document, version = _publie(monde, equipe)
    membre, autre = equipe["membre"], equipe["autre"]
    assert list(selectors.a_lire(membre)) == [version]
    assert not selectors.a_lire(autre).exists()
    _, comptes = selectors.suivi_diffusion(version)
    assert comptes["lus"] == 0 and comptes["total"] >= 2  # the declarant and the psychiatrist of service A

    client.force_login(membre)
    assert 'data-compteur="a_lire">1<' in texte(client.get(reverse("qualite:accueil")))
    page = texte(client.get(reverse("documents:a_lire")))
    assert document.titre in page
    reponse = client.post(reverse("documents:accuser_lecture", args=[version.pk]), follow=True)
    assert "Lecture de" in texte(reponse)
    assert document.titre not in texte(client.get(reverse("documents:a_lire"))).split("Documents à lire</h1>")[1]
    assert not selectors.a_lire(membre).exists()
    assert "Documents qualité à lire" not in texte(client.get(reverse("qualite:accueil")))
    _, apres = selectors.suivi_diffusion(version)
    assert apres["lus"] == 1 and apres["taux"] == round(100 / apres["total"])

    client.force_login(autre)
    assert document.titre not in texte(client.get(reverse("documents:a_lire"))).split("Documents à lire</h1>")[1]
    client.post(reverse("documents:accuser_lecture", args=[version.pk]))
    assert not AccuseLecture.objects.filter(utilisateur=autre).exists()

    client.force_login(equipe["diffuseur"])
    page = texte(client.get(reverse("documents:diffusion", args=[version.pk])))
    assert f"Lu par 1 sur {apres['total']}" in page and "Non lu" in page


def test_diffusion_par_pole_et_par_role(monde, equipe):
    document = document_de_test(monde, par=equipe["redacteur"])
    version = publier(document, redacteur=equipe["redacteur"], verificateur=equipe["verificateur"],
                      approbateur=equipe["approbateur"], diffuseur=equipe["diffuseur"],
                      cibles={"poles": [monde.pole_a2], "roles": [Role.MEMBRE_CDU]})
    assert selectors.a_lire(equipe["autre"]).exists()  # in a service of pôle A2
    assert selectors.a_lire(monde.users["membre_cdu"]).exists()
    assert not selectors.a_lire(equipe["membre"]).exists()
    assert not selectors.a_lire(monde.user_b).exists()
    assert version.statut == Statut.DIFFUSEE


def test_export_des_accuses_de_lecture(monde, equipe, client):
    from openpyxl import load_workbook

    document, version = _publie(monde, equipe)
    services.accuse_enregistrer(version=version, par=equipe["membre"])
    client.force_login(equipe["diffuseur"])
    url = reverse("documents:diffusion", args=[version.pk])
    csv = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    lignes = csv.strip().splitlines()
    assert lignes[0] == "Nom;Identifiant;Service;Lu;Lu le"
    assert any(";declarant;" in ligne and ";oui;" in ligne for ligne in lignes)
    assert any(";psychiatre;" in ligne and ";non;" in ligne for ligne in lignes)
    reponse = client.get(url, {"export": "xlsx"})
    feuille = load_workbook(io.BytesIO(reponse.content), read_only=True).active
    valeurs = [list(ligne) for ligne in feuille.iter_rows(values_only=True)]
    assert ["declarant", "oui"] == [valeurs[i][j] for i in range(1, len(valeurs)) for j in (1, 3)
                                    if valeurs[i][1] == "declarant"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(document.pk)).count() == 2
    client.force_login(equipe["membre"])  # a reader does not see who has read
    assert client.get(url).status_code == 403


# ---- scoping, download audit ------------------------------------------------------------------------------

def test_le_document_d_un_autre_etablissement_est_introuvable(monde, equipe, client):
    document, version = _publie(monde, equipe)
    client.force_login(monde.user_b)
    for url in (reverse("documents:detail", args=[document.pk]),
                reverse("documents:telecharger", args=[version.pk]),
                reverse("documents:diffusion", args=[version.pk])):
        reponse = client.get(url)
        assert reponse.status_code == 404 and "Page introuvable" in texte(reponse), url
    assert client.post(reverse("documents:accuser_lecture", args=[version.pk])).status_code == 404
    assert document.titre not in texte(client.get(reverse("documents:liste")))


def test_le_telechargement_est_audite(monde, equipe, client):
    document, version = _publie(monde, equipe)
    client.force_login(equipe["membre"])
    reponse = client.get(reverse("documents:telecharger", args=[version.pk]))
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content).startswith(b"%PDF")
    entree = AuditEntry.objects.get(action=AuditEntry.Action.LECTURE, utilisateur=equipe["membre"])
    assert entree.object_id == str(document.pk)
    assert entree.details == {"telechargement": True, "version": 1, "fichier": "procedure.pdf"}


def test_un_fichier_refuse_par_son_contenu_n_est_pas_enregistre(monde, equipe, client):
    from qualite.pieces.tests.outils import EXE

    document, _ = _publie(monde, equipe)
    client.force_login(equipe["redacteur"])
    reponse = client.post(reverse("documents:version_ajouter", args=[document.pk]),
                          {"fichier": televersement("v2.pdf", EXE)})
    assert "Type de fichier refusé" in texte(reponse)
    assert document.versions.count() == 1


def test_la_liste_filtre_et_tient_son_nombre_de_requetes(monde, equipe, client, django_assert_max_num_queries):
    for i in range(5):
        _publie(monde, equipe, titre=f"Protocole {i}", service=monde.service_a)
    document_de_test(monde, par=equipe["redacteur"], titre="Charte brouillon", type_="charte")
    client.force_login(equipe["membre"])
    with django_assert_max_num_queries(12):
        page = texte(client.get(reverse("documents:liste")))
    assert "Protocole 4" in page and "Charte brouillon" not in page  # a reader sees diffused documents only
    client.force_login(equipe["redacteur"])
    assert "Charte brouillon" in texte(client.get(reverse("documents:liste"), {"type": "charte"}))
    page = texte(client.get(reverse("documents:liste"), {"statut": "redaction"}))
    assert "Charte brouillon" in page and "Protocole 1" not in page
    page = texte(client.get(reverse("documents:liste"), {"service": monde.service_a.pk}))
    assert "Protocole 1" in page and "Charte brouillon" not in page
    page = texte(client.get(reverse("documents:liste"), {"titre": "charte BROUILLON"}))
    assert "Charte brouillon" in page and "Protocole 1" not in page
    assert "Charte brouillon" in texte(client.get(reverse("documents:liste"), {"titre": "chârte"}))


# ---- search -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mot", ["sécurité", "securite", "SECURITE"])
def test_la_recherche_trouve_un_mot_dans_un_pdf_et_un_docx_avec_ou_sans_accents(monde, equipe, client, mot):
    document_de_test(monde, par=equipe["redacteur"], titre="Protocole transfusionnel",
                     contenu=pdf("Ce protocole décrit la sécurité transfusionnelle au bloc."), nom="transfusion.pdf")
    document_de_test(monde, par=equipe["redacteur"], titre="Charte du bloc", nom="charte.docx",
                     contenu=docx("Préambule.", "La sécurité des patients prime sur tout."))
    document_de_test(monde, par=equipe["redacteur"], titre="Formulaire de sortie", contenu=pdf("Rien à voir."))
    resultats = selectors.rechercher(equipe["redacteur"], mot)
    assert sorted(v.document.titre for v in resultats) == ["Charte du bloc", "Protocole transfusionnel"]
    assert {v.type_mime for v in resultats} == {"application/pdf", DOCX_MIME}
    client.force_login(equipe["redacteur"])
    page = client.get(reverse("documents:recherche"), {"q": mot}).content.decode()
    assert "<mark>sécurité</mark>" in page and "Formulaire de sortie" not in page


def test_la_recherche_classe_le_titre_avant_le_texte_et_echappe_l_extrait(monde, equipe, client):
    document_de_test(monde, par=equipe["redacteur"], titre="Hygiène des mains", contenu=pdf("Lavage."))
    document_de_test(monde, par=equipe["redacteur"], titre="Bloc opératoire",
                     contenu=docx("<script>alert(1)</script> L'hygiène des mains & propreté au bloc."), nom="bloc.docx")
    resultats = selectors.rechercher(equipe["redacteur"], "hygiene")
    assert [v.document.titre for v in resultats] == ["Hygiène des mains", "Bloc opératoire"]
    client.force_login(equipe["redacteur"])
    page = client.get(reverse("documents:recherche"), {"q": "hygiene"}).content.decode()
    assert "<script>alert" not in page and "des mains &amp; propreté" in page


def test_la_recherche_ne_montre_a_un_lecteur_que_les_versions_diffusees(monde, equipe):
    document_de_test(monde, par=equipe["redacteur"], titre="Brouillon confidentiel", contenu=pdf("sécurité"))
    _publie(monde, equipe, titre="Procédure diffusée", contenu=pdf("sécurité incendie"))
    assert [v.document.titre for v in selectors.rechercher(equipe["membre"], "securite")] == ["Procédure diffusée"]
    assert selectors.rechercher(monde.user_b, "securite") == []


# ---- review date deadline, links --------------------------------------------------------------------------

def test_la_date_de_revision_cree_une_echeance_pour_le_proprietaire(monde, equipe, client):
    from datetime import date

    from qualite.echeances.models import Echeance

    document = document_de_test(monde, par=equipe["redacteur"], date_revision=date(2027, 6, 30))
    echeance = Echeance.objects.get(object_id=document.pk, regle__code="documents-revision")
    assert echeance.responsable == equipe["redacteur"] and echeance.echeance.date() >= date(2027, 6, 30)
    client.force_login(equipe["redacteur"])
    page = texte(client.get(reverse("qualite:mes_echeances")))
    assert document.titre[:40] in page or f"Document qualité n° {document.pk}" in page
    services.document_modifier(document=document, par=equipe["redacteur"],
                               donnees={"date_revision": date(2028, 1, 31), "proprietaire": equipe["verificateur"]})
    echeance.refresh_from_db()
    assert echeance.responsable == equipe["verificateur"] and echeance.echeance.date() >= date(2028, 1, 31)


def test_un_document_preuve_d_un_critere_et_source_d_une_action_se_voit_des_deux_cotes(monde, equipe, client):
    from certification.tests.factories import CritereFactory
    from qualite.paqss.models import ActionAmelioration

    document, _ = _publie(monde, equipe, titre="Procédure identitovigilance")
    critere = CritereFactory()
    action = ActionAmelioration.objects.create(titre="Former les équipes", origine="axe", etablissement=monde.etab_a)
    action_b = ActionAmelioration.objects.create(titre="Action de B", origine="axe", etablissement=monde.etab_b)
    client.force_login(equipe["redacteur"])
    client.post(reverse("documents:lien_critere", args=[document.pk]), {"critere": critere.pk})
    client.post(reverse("documents:lien_action", args=[document.pk]), {"action": action.pk})
    reponse = client.post(reverse("documents:lien_action", args=[document.pk]), {"action": action_b.pk})
    assert "Action inconnue ou hors de votre périmètre" in texte(reponse)
    page = texte(client.get(reverse("documents:detail", args=[document.pk])))
    assert f"Critère {critere.code}" in page and "Former les équipes" in page and "Action de B" not in page
    assert "Procédure identitovigilance" in texte(client.get(reverse("certification:critere", args=[critere.pk])))
    assert "Procédure identitovigilance" in texte(client.get(reverse("qualite:action_detail", args=[action.pk])))
    client.force_login(monde.user_b)  # gestionnaire of B: his criterion page does not list A's document
    assert "Procédure identitovigilance" not in texte(client.get(reverse("certification:critere", args=[critere.pk])))


def test_creer_un_document_par_la_page(monde, equipe, client):
    client.force_login(equipe["redacteur"])
    url = reverse("documents:nouveau")
    page = client.get(url)
    assert page.status_code == 200
    donnees = {"titre": "Protocole chute", "type": "protocole", "etablissement": monde.etab_a.pk,
               "proprietaire": equipe["redacteur"].pk, "date_revision": "31/12/2027",
               "cle_creation": page.context["form"]["cle_creation"].value(),
               "fichier": televersement("chute.docx", docx("Prévention des chutes"), DOCX_MIME)}
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302
    version = VersionDocument.objects.get(document__titre="Protocole chute")
    assert version.type_mime == DOCX_MIME and "chutes" in version.texte
    client.force_login(equipe["membre"])
    assert client.get(url).status_code == 403


def test_modifier_la_fiche_refuse_une_page_perimee(monde, equipe, client):
    document = document_de_test(monde, par=equipe["redacteur"])
    url = reverse("documents:modifier", args=[document.pk])
    donnees = {"titre": "Titre du premier", "type": "procedure", "proprietaire": equipe["redacteur"].pk,
               "revision": document.revision}
    client.force_login(equipe["redacteur"])
    assert client.post(url, donnees).status_code == 302
    client.force_login(equipe["verificateur"])
    reponse = client.post(url, {**donnees, "titre": "Titre du second"})
    page = texte(reponse)
    assert reponse.status_code == 200 and "Modifié entre-temps par" in page and "Titre du premier" in page
    document.refresh_from_db()
    assert document.titre == "Titre du premier"
    client.force_login(equipe["membre"])
    assert client.get(url).status_code == 404  # a draft: not even visible to a reader


@pytest.mark.parametrize("q", ["'", "&|!:*", "le la les", "<script>", "é" * 500, "\"sécurité", "-", "a:* | b"])
def test_la_recherche_supporte_toute_saisie(monde, equipe, client, q):
    document_de_test(monde, par=equipe["redacteur"], contenu=pdf("La sécurité avant tout."))
    client.force_login(equipe["redacteur"])
    reponse = client.get(reverse("documents:recherche"), {"q": q})
    assert reponse.status_code == 200 and "<script>" not in reponse.content.decode().split("</nav>", 1)[1].split(
        "<script src=", 1)[0]


def test_la_demo_montre_un_document_a_lire_a_la_declarante(settings):
    from django.core.management import call_command

    call_command("demo")
    call_command("demo")
    from qualite.documents.demo import DOCUMENTS
    from qualite.documents.models import Document
    from qualite.organisation.models import Utilisateur

    assert Document.objects.count() == len(DOCUMENTS)
    # Her unit's procedure, and the declaration procedure diffused to every declarant (newest first).
    assert [v.document.titre for v in selectors.a_lire(Utilisateur.objects.get(username="declarant"))] == [
        "Déclarer un évènement indésirable : qui, quand, comment", "Hygiène des mains : friction hydro-alcoolique"]
    assert [v.document.titre for v in selectors.rechercher(Utilisateur.objects.get(username="qualiticien"),
                                                            "securite")] == ["Hygiène des mains : friction hydro-alcoolique"]
