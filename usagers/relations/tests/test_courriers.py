"""Courriers depuis des modèles éditables (issue 16, livrable 7) : formule d'appel, champs de fusion contrôlés,
en-tête, signataire et voies de recours par établissement, aperçu puis PDF gardé, version du modèle, audit."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import texte
from qualite.organisation.models import AuditEntry
from usagers.relations import services
from usagers.relations.models import CourrierGenere, EnTeteCourrier, ModeleLettre, formule_appel
from usagers.relations.referentiels import ANCIENNES_LETTRES, synchroniser

ENTETE = {
    "nom": "Centre hospitalier de Valmont", "adresse": "12 rue des Tilleuls\n76000 Valmont", "telephone": "02 35 00 00 00",
    "logo": "courriers/logos/logo-exemple.svg", "signataire_nom": "Claire Dubois",
    "signataire_fonction": "Directrice de la qualité et des relations avec les usagers",
    "mediateur_medical": "Dr Paul Girard", "mediateur_non_medical": "Mme Anne Petit",
    "cdu_contact": "Commission des usagers, secrétariat de la direction", "ars_nom": "ARS Normandie",
    "ars_adresse": "2 place Jean Nouzille, 14000 Caen",
}


def _rec(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Jeanne Martin", "lien_patient": "elle-même", "auteur_adresse": "3 allée des Roses",
               "objet": "Attente aux urgences.", "recue_le": date(2026, 1, 31)}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees, services=[])


def _pdf_texte(contenu: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(contenu)).pages).split())


def _formulaire_modele(client, etab, type_="accuse"):
    """The edit form's values as loaded (hidden revision and base template included)."""
    form = client.get(reverse("usagers:courrier_modele", args=[etab.pk, type_])).context["form"]
    valeurs = {nom: form[nom].value() for nom in ("objet", "corps", "revision", "depuis")}
    valeurs["voies_de_recours"] = "on"
    return {k: ("" if v is None else v) for k, v in valeurs.items()}


class TestFormuleAppel:
    @pytest.mark.parametrize("civilite, attendue", [("madame", "Madame,"), ("monsieur", "Monsieur,"),
                                                    ("", "Madame, Monsieur,")])
    def test_la_formule_suit_la_civilite(self, civilite, attendue):
        assert formule_appel(civilite) == attendue

    @pytest.mark.parametrize("civilite, attendue", [("madame", "Madame,"), ("monsieur", "Monsieur,"),
                                                    ("", "Madame, Monsieur,")])
    @pytest.mark.parametrize("type_", ["accuse", "invitation_mediation", "reponse"])
    def test_chaque_lettre_commence_par_la_formule_sans_le_nom(self, monde, civilite, attendue, type_):
        lettre = services.lettre_rendre(_rec(monde, auteur_civilite=civilite), type_)
        assert lettre["corps"].split("\n")[0] == attendue
        assert "Jeanne Martin," not in lettre["corps"]
        assert f"Nous vous prions d'agréer, {attendue} l'expression" in lettre["corps"]

    def test_la_civilite_se_saisit_sur_la_fiche(self, monde, client_de):
        page = texte(client_de(monde.users["relations_usagers"]).get(reverse("usagers:reclamation_nouvelle")))
        assert "Civilité de l&#x27;auteur" in page or "Civilité de l'auteur" in page

    def test_un_ancien_modele_commun_jamais_modifie_prend_la_nouvelle_formule(self, db):
        commun = ModeleLettre.objects.get(etablissement__isnull=True, type="accuse")
        ancien = dict((t, c) for t, _, c in ANCIENNES_LETTRES)["accuse"]
        ModeleLettre.objects.filter(pk=commun.pk).update(corps=ancien)
        synchroniser()
        commun.refresh_from_db()
        assert commun.corps.startswith("{{ formule_appel }}") and commun.revision == 2

    def test_un_modele_commun_modifie_est_garde(self, db):
        ModeleLettre.objects.filter(etablissement__isnull=True, type="accuse").update(corps="Texte choisi {{ auteur }}")
        synchroniser()
        assert ModeleLettre.objects.get(etablissement__isnull=True, type="accuse").corps == "Texte choisi {{ auteur }}"


class TestModeles:
    def test_un_champ_de_fusion_inconnu_est_refuse_en_francais_et_rien_n_est_enregistre(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        donnees = _formulaire_modele(client, monde.etab_a)
        donnees["corps"] = "{{ formule_appel }}\n\nVotre mot de passe : {{ mot_de_passe }}"
        response = client.post(reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "accuse"]), donnees)
        page = texte(response)
        assert response.status_code == 200
        assert "Champ de fusion inconnu : mot_de_passe" in page
        assert 'id="id_corps"' in page and "is-invalid" in page  # beside the field; static/js/resume-erreurs.js sums up
        assert not ModeleLettre.objects.filter(etablissement=monde.etab_a).exists()

    def test_une_balise_du_moteur_de_gabarits_est_refusee(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        donnees = _formulaire_modele(client, monde.etab_a)
        donnees["objet"] = "{% debug %}"
        page = texte(client.post(reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "accuse"]), donnees))
        assert "pas les balises" in page
        assert not ModeleLettre.objects.filter(etablissement=monde.etab_a).exists()

    def test_modifier_cree_la_version_de_l_etablissement_puis_la_numerote(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        url = reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "accuse"])
        donnees = _formulaire_modele(client, monde.etab_a)
        donnees["corps"] = "{{ formule_appel }}\n\nPremière version."
        assert client.post(url, donnees).status_code == 302
        propre = ModeleLettre.objects.get(etablissement=monde.etab_a, type="accuse")
        assert propre.revision == 1
        donnees = _formulaire_modele(client, monde.etab_a)
        donnees["corps"] = "{{ formule_appel }}\n\nDeuxième version."
        assert client.post(url, donnees).status_code == 302
        propre.refresh_from_db()
        assert propre.revision == 2 and propre.modifie_par == monde.users["relations_usagers"]
        # the other établissement keeps the common template
        rec_b = _rec(monde, etablissement=monde.etab_b)
        assert "Deuxième version" not in services.lettre_rendre(rec_b, "accuse")["corps"]
        assert "Deuxième version" in services.lettre_rendre(_rec(monde), "accuse")["corps"]

    def test_deux_editeurs_le_second_est_averti_et_rien_n_est_ecrase(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        url = reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "accuse"])
        premier = _formulaire_modele(client, monde.etab_a)
        second = dict(premier)
        premier["corps"] = "{{ formule_appel }}\n\nTexte du premier."
        assert client.post(url, premier).status_code == 302
        second["corps"] = "{{ formule_appel }}\n\nTexte du second."
        page = texte(client.post(url, second))
        assert "Modifié entre-temps" in page
        assert ModeleLettre.objects.get(etablissement=monde.etab_a, type="accuse").corps.endswith("Texte du premier.")
        # again on the établissement's own copy: a stale revision is refused too
        troisieme, quatrieme = _formulaire_modele(client, monde.etab_a), _formulaire_modele(client, monde.etab_a)
        troisieme["corps"] = "{{ formule_appel }}\n\nTroisième."
        assert client.post(url, troisieme).status_code == 302
        quatrieme["corps"] = "{{ formule_appel }}\n\nQuatrième."
        assert "Modifié entre-temps" in texte(client.post(url, quatrieme))
        assert ModeleLettre.objects.get(etablissement=monde.etab_a, type="accuse").corps.endswith("Troisième.")

    def test_l_en_tete_refuse_un_logo_hors_des_fichiers_de_l_application(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        page = texte(client.post(reverse("usagers:courrier_entete", args=[monde.etab_a.pk]),
                                 {**ENTETE, "logo": "https://exemple.org/logo.png"}))
        assert "Sélectionnez un choix valide" in page
        assert not EnTeteCourrier.objects.exists()

    def test_l_en_tete_a_sa_revision(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        url = reverse("usagers:courrier_entete", args=[monde.etab_a.pk])
        assert client.post(url, ENTETE).status_code == 302
        revision = EnTeteCourrier.objects.get().revision
        assert client.post(url, {**ENTETE, "signataire_nom": "Marc Roy", "revision": revision}).status_code == 302
        page = texte(client.post(url, {**ENTETE, "signataire_nom": "Luc Blanc", "revision": revision}))
        assert "Modifié entre-temps" in page
        assert EnTeteCourrier.objects.get().signataire_nom == "Marc Roy"
        # a form loaded before anyone filled the letterhead (no revision) does not overwrite it either
        assert "Modifié entre-temps" in texte(client.post(url, {**ENTETE, "signataire_nom": "Luc Blanc"}))

    def test_la_liste_montre_l_origine_et_la_version(self, monde, client_de, django_assert_max_num_queries):
        client = client_de(monde.users["relations_usagers"])
        with django_assert_max_num_queries(12):
            page = texte(client.get(reverse("usagers:courriers")))
        assert "CH A" in page and "CH B" not in page and "Modèle commun" in page and "à renseigner" in page


class TestApercuEtPdf:
    def test_l_apercu_montre_la_lettre_sans_rien_garder_et_trace_la_lecture(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        client.post(reverse("usagers:courrier_entete", args=[monde.etab_a.pk]), ENTETE)
        rec = _rec(monde, auteur_civilite="madame")
        response = client.get(reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"]))
        page = texte(response)
        assert response.status_code == 200
        for attendu in ("Centre hospitalier de Valmont", "Claire Dubois", "ARS Normandie", "Dr Paul Girard",
                        "Madame,\n\nNous avons bien reçu", "Voies de recours", "version 1"):
            assert attendu in page, attendu
        assert "no-store" in response["Cache-Control"]
        assert not CourrierGenere.objects.exists()
        assert AuditEntry.objects.filter(action="lecture", object_id=str(rec.pk), details__apercu_lettre="accuse").exists()

    def test_tout_est_echappe_dans_l_apercu_et_le_modele(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        donnees = _formulaire_modele(client, monde.etab_a)
        donnees["corps"] = "{{ formule_appel }} <b>gras</b> {{ auteur }}"
        client.post(reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "accuse"]), donnees)
        rec = _rec(monde, auteur_nom="<script>alert(1)</script> Martin")
        brut = client.get(reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"])).content.decode()
        assert "<script>alert(1)" not in brut and "&lt;script&gt;alert(1)&lt;/script&gt; Martin" in brut
        assert "<b>gras</b>" not in brut and "&lt;b&gt;gras&lt;/b&gt;" in brut

    def test_le_pdf_porte_en_tete_signataire_et_voies_de_recours_et_est_garde(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        client.post(reverse("usagers:courrier_entete", args=[monde.etab_a.pk]), ENTETE)
        rec = _rec(monde, auteur_civilite="monsieur", auteur_nom="Robert Lenoir")
        response = client.post(reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"]))
        courrier = CourrierGenere.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("usagers:reclamation_courrier", args=[rec.pk, courrier.pk])
        pdf = client.get(response["Location"])
        assert pdf["Content-Type"] == "application/pdf"
        contenu = _pdf_texte(pdf.content)
        for attendu in ("Centre hospitalier de Valmont", "12 rue des Tilleuls", "Claire Dubois",
                        "Directrice de la qualité et des relations avec les usagers", "Voies de recours",
                        "médiateur médical, Dr Paul Girard", "médiateur non médical, Mme Anne Petit",
                        "ARS Normandie", "2 place Jean Nouzille, 14000 Caen", "Monsieur Robert Lenoir",
                        "Monsieur, Nous avons bien reçu", rec.reference):
            assert attendu in contenu, attendu
        assert "Madame, Monsieur" not in contenu
        assert bytes(courrier.pdf) == pdf.content
        assert courrier.modele_version == 1 and courrier.modele.etablissement_id is None
        assert AuditEntry.objects.filter(action="creation", details__lettre="accuse", details__version_modele=1).exists()
        assert AuditEntry.objects.filter(action="export", object_id=str(courrier.pk)).exists()
        fiche = texte(client.get(reverse("usagers:reclamation", args=[rec.pk])))
        assert "modèle version 1" in fiche

    def test_sans_voies_de_recours_le_bloc_disparait(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        donnees = _formulaire_modele(client, monde.etab_a, "invitation_mediation")
        donnees.pop("voies_de_recours")
        donnees["corps"] = "{{ formule_appel }} Invitation."
        client.post(reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "invitation_mediation"]), donnees)
        rec = _rec(monde)
        page = texte(client.get(reverse("usagers:reclamation_lettre", args=[rec.pk, "invitation_mediation"])))
        assert "Invitation." in page and "Voies de recours" not in page


class TestDroits:
    @pytest.mark.parametrize("role", ["membre_cdu", "representant_usagers", "mediateur", "direction",
                                      "gestionnaire_risques"])
    def test_les_autres_roles_n_ecrivent_ni_modeles_ni_courriers(self, monde, client_de, role):
        rec = _rec(monde)
        client = client_de(monde.users[role])
        assert client.get(reverse("usagers:courriers")).status_code == 403
        assert client.get(reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "accuse"])).status_code == 403
        assert client.post(reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"])).status_code in (403, 404)
        assert not CourrierGenere.objects.exists()

    def test_l_autre_etablissement_repond_introuvable(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        rec_b = _rec(monde, etablissement=monde.etab_b)
        courrier = services.courrier_generer(reclamation=rec_b, type_="accuse", par=monde.users["relations_usagers"])
        for url in (reverse("usagers:courrier_entete", args=[monde.etab_b.pk]),
                    reverse("usagers:courrier_modele", args=[monde.etab_b.pk, "accuse"]),
                    reverse("usagers:reclamation_lettre", args=[rec_b.pk, "accuse"]),
                    reverse("usagers:reclamation_courrier", args=[rec_b.pk, courrier.pk])):
            assert client.get(url).status_code == 404, url
        # a letter of A's complaint cannot be read through another complaint either
        rec_a = _rec(monde)
        assert client.get(reverse("usagers:reclamation_courrier", args=[rec_a.pk, courrier.pk])).status_code == 404

    def test_un_type_de_lettre_inconnu_repond_introuvable(self, monde, client_de):
        client = client_de(monde.users["relations_usagers"])
        assert client.get(reverse("usagers:reclamation_lettre", args=[_rec(monde).pk, "inconnu"])).status_code == 404
        assert client.get(reverse("usagers:courrier_modele", args=[monde.etab_a.pk, "inconnu"])).status_code == 404


class TestDemo:
    def test_chaque_etablissement_de_la_demo_a_son_en_tete_et_ses_voies_de_recours(self, monde):
        from usagers.relations.courriers_demo import charger_courriers_demo

        charger_courriers_demo()
        charger_courriers_demo()  # idempotent
        assert EnTeteCourrier.objects.count() == 2
        entete = EnTeteCourrier.objects.get(etablissement=monde.etab_a)
        assert entete.ars_nom == "ARS Normandie" and entete.logo == "courriers/logos/logo-exemple.svg"
        lettre = services.lettre_rendre(_rec(monde), "reponse")
        assert lettre["entete"].pk == entete.pk

    def test_le_menu_mene_aux_modeles_de_courrier(self, monde, client_de):
        page = texte(client_de(monde.users["relations_usagers"]).get(reverse("usagers:courriers")))
        assert reverse("usagers:courriers") in page and "Modèles de courrier" in page
