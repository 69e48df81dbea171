"""Involuntary-care measures and their records as files: export from the measures list → import unchanged,
bad rows refused with line and column and nothing written."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from qualite.organisation.models import AuditEntry
from qualite.outils import importation
from usagers.ssc import services
from usagers.ssc.models import ActeMesure, MesureSoinsSansConsentement, PatientSSC

ENTETE_MESURES = ("Référence;IPP;Nom;Prénom;Date de naissance;Établissement;Unité;Mode;T0;Tiers;Lien du tiers;"
                  "Pôle;Levée le\n")
ENTETE_ACTES = ("Référence;Mesure;Type;Date et heure;Auteur;Psychiatre de l'établissement;Conclusion;Forme;"
                "Commentaire;Annulé\n")


@pytest.fixture
def bureau(monde):
    return monde.users["bureau_admissions"]


def _importer(code, contenu, user, nom="fichier.csv"):
    analyse = importation.analyser(importation.REGISTRES[code], contenu, utilisateur=user, nom_fichier=nom)
    return importation.ecrire(analyse, utilisateur=user)


def _erreurs(code, contenu, user):
    return [(e.ligne, e.colonne) for e in _importer(code, contenu, user).erreurs]


def _export(client, export):
    response = client.get(reverse("usagers:ssc_mesures"), {"export": export})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if "xlsx" not in export else response.content


def _etat():
    return ([(model_to_dict(m), m.updated_at) for m in MesureSoinsSansConsentement.objects.order_by("pk")],
            [(model_to_dict(a), a.updated_at) for a in ActeMesure.objects.order_by("pk")],
            PatientSSC.objects.count())


def _acte(mesure, user, type_, delta, **kw):
    kw.setdefault("auteur", "Dr Psy Un")
    kw.setdefault("psychiatre_etablissement", True)
    if type_.startswith("certificat"):
        kw.setdefault("conclusion", "maintien")
    if type_ == "certificat_72h":
        kw.setdefault("forme", "hc")
    return services.acte_ajouter(mesure=mesure, par=user, donnees={"type": type_, "date_heure": mesure.t0 + delta, **kw})


def _t0(jours=10):
    return (timezone.localtime() - timedelta(days=jours)).replace(hour=14, minute=30, second=0, microsecond=0)


@pytest.fixture
def jeu(monde, admettre, bureau):
    m1 = admettre("sdt")
    _acte(m1, bureau, "certificat_24h", timedelta(hours=20), commentaire="Examen ; « calme »\nsur deux lignes")
    _acte(m1, bureau, "certificat_72h", timedelta(hours=70), auteur="Dr Psy Deux")
    annule = _acte(m1, bureau, "certificat_mensuel", timedelta(days=2))
    services.acte_annuler(acte=annule, par=bureau, motif="Saisi par erreur")
    m2 = admettre("spi", t0=_t0(5), ipp="IPP-2")
    autre = admettre("sdt", t0=_t0(3), ipp="IPP-B", service=monde.service_b)  # out of scope
    _acte(autre, bureau, "certificat_24h", timedelta(hours=20))
    return m1, m2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_l_export_des_mesures_se_reimporte_sans_changement(jeu, client_de, bureau, fmt):
    avant = _etat()
    contenu = _export(client_de(bureau), fmt)
    assert AuditEntry.objects.filter(action="export", details__registre="mesures SSC").exists()
    bilan = _importer("mesures_ssc", contenu, bureau, f"export.{fmt}")
    assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
    assert _etat() == avant


@pytest.mark.parametrize("fmt", ["actes", "actes-xlsx"])
def test_l_export_des_actes_se_reimporte_sans_changement(jeu, client_de, bureau, fmt):
    avant = _etat()
    contenu = _export(client_de(bureau), fmt)
    assert AuditEntry.objects.filter(action="export", details__registre="actes SSC").exists()
    bilan = _importer("actes_ssc", contenu, bureau, "actes")
    assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 3)
    assert _etat() == avant


def test_les_exports_ont_exactement_les_colonnes_de_l_import(jeu, client_de, bureau):
    m1, _ = jeu
    client = client_de(bureau)
    mesures = _export(client, "csv").decode("utf-8-sig").splitlines()
    assert mesures[0] == ENTETE_MESURES.strip() == ";".join(importation.REGISTRES["mesures_ssc"].noms)
    assert len(mesures) == 3  # the measure of CH B is not exported
    actes = _export(client, "actes").decode("utf-8-sig")
    assert actes.splitlines()[0] == ENTETE_ACTES.strip()
    assert m1.reference in actes and "Saisi par erreur" in actes


def test_creation_mise_a_jour_et_actes(monde, bureau):
    t0 = _t0()
    contenu = (ENTETE_MESURES + f";IPP-9;Martin;Paul;02/03/1980;CH A;Cardiologie A;sdt;{t0:%d/%m/%Y %H:%M};"
               "Anne Martin;épouse;;\n").encode()
    bilan = _importer("mesures_ssc", contenu, bureau)
    assert (bilan.crees, bilan.erreurs) == (1, [])
    m = MesureSoinsSansConsentement.objects.get()
    assert m.reference.startswith("SSC-") and m.t0 == t0 and m.patient.ipp == "IPP-9"
    contenu = (ENTETE_MESURES + f"{m.reference};IPP-9;Martin;Paul;02/03/1980;CH A;Orthopédie A;sdt;"
               f"{t0:%d/%m/%Y %H:%M};Anne Martin;conjointe;;\n").encode()
    bilan = _importer("mesures_ssc", contenu, bureau, "maj.csv")
    assert (bilan.modifies, bilan.erreurs) == (1, [])
    m.refresh_from_db()
    assert (m.service, m.pole, m.tiers_lien) == (monde.service_a2, monde.pole_a2, "conjointe")
    contenu = (ENTETE_ACTES + f";{m.reference};Certificat de 24 heures;{t0 + timedelta(hours=20):%d/%m/%Y %H:%M};"
               "Dr Psy Un;oui;maintien;;;\n").encode()
    bilan = _importer("actes_ssc", contenu, bureau, "actes.csv")
    assert (bilan.crees, bilan.erreurs) == (1, [])
    acte = ActeMesure.objects.get()
    assert AuditEntry.objects.filter(action="creation", object_id=str(acte.pk), details={"import": "actes.csv"}).exists()


def test_le_t0_ou_le_mode_d_une_mesure_existante_ne_change_pas(jeu, bureau):
    m1, _ = jeu
    avant = _etat()
    p = m1.patient
    ligne = (f"{m1.reference};{p.ipp};{p.nom};{p.prenom};{p.date_naissance:%d/%m/%Y};CH A;Cardiologie A;spi;"
             f"{m1.t0 - timedelta(hours=1):%d/%m/%Y %H:%M};;;;\n")
    assert sorted(_erreurs("mesures_ssc", (ENTETE_MESURES + ligne).encode(), bureau)) == [(2, "Mode"), (2, "T0")]
    assert _etat() == avant


def test_un_ipp_d_une_autre_personne_revient_avec_ligne_et_colonne(jeu, bureau):
    avant = _etat()
    contenu = (ENTETE_MESURES + f";IPP-2;Autre;X;01/01/1970;CH A;Cardiologie A;spi;{_t0(1):%d/%m/%Y %H:%M};;;;\n"
               ).encode()
    assert _erreurs("mesures_ssc", contenu, bureau) == [(2, "IPP")]
    assert _etat() == avant


class TestLignesErronees:
    def test_colonne_manquante(self, monde, bureau):
        contenu = "Référence;IPP;Nom;Prénom;Date de naissance;Établissement;Unité;Mode\n".encode()
        assert _erreurs("mesures_ssc", contenu, bureau) == [(1, "T0")]
        contenu = "Référence;Mesure;Type\n".encode()
        assert _erreurs("actes_ssc", contenu, bureau) == [(1, "Date et heure")]

    def test_cellules_erronees_des_mesures(self, jeu, bureau):
        m1, _ = jeu
        avant = _etat()
        t0 = f"{_t0(1):%d/%m/%Y %H:%M}"
        p = m1.patient
        existante = (f"{m1.reference};{p.ipp};{p.nom};{p.prenom};{p.date_naissance:%d/%m/%Y};CH A;Cardiologie A;"
                     f"sdt;{m1.t0:%d/%m/%Y %H:%M};Marie Martin;sœur;;\n")
        contenu = (ENTETE_MESURES
                   + f";IPP-5;Roux;Jean;31/02/1980;CH A;Cardiologie A;spi;{t0};;;;\n"  # bad date
                   + ";IPP-5;Roux;Jean;01/02/1980;CH A;Cardiologie A;spi;32/01/2026 10:00;;;;\n"  # bad date and time
                   + f";IPP-5;Roux;Jean;01/02/1980;CH A;Pédiatrie;spi;{t0};;;;\n"  # unknown unit
                   + f";IPP-5;Roux;Jean;01/02/1980;CH A;Cardiologie A;Volontaire;{t0};;;;\n"  # unknown mode
                   + existante + existante  # duplicate reference
                   + f"SSC-2020-99999;IPP-6;Roux;Jean;01/02/1980;CH A;Cardiologie A;spi;{t0};;;;\n"  # unknown reference
                   + f";IPP-7;Roux;Jean;01/02/1980;CH A;Cardiologie A;spi;{t0};;;;\n").encode()  # valid: not written
        assert _erreurs("mesures_ssc", contenu, bureau) == [
            (2, "Date de naissance"), (3, "T0"), (4, "Unité"), (5, "Mode"), (7, "Référence"), (8, "Référence"),
        ]
        assert _etat() == avant

    def test_cellules_erronees_des_actes(self, jeu, bureau):
        m1, m2 = jeu
        avant = _etat()
        autre = MesureSoinsSansConsentement.objects.exclude(pk__in=[m1.pk, m2.pk]).get()
        acte = ActeMesure.objects.filter(mesure=m1).first()
        d = f"{m2.t0 + timedelta(hours=20):%d/%m/%Y %H:%M}"
        contenu = (ENTETE_ACTES
                   + f";{m2.reference};Certificat de 24 heures;30/02/2026 10:00;Dr A;oui;maintien;;;\n"  # bad date
                   + f";{autre.reference};Certificat de 24 heures;{d};Dr A;oui;maintien;;;\n"  # out of scope
                   + f";{m2.reference};Certificat de 36 heures;{d};Dr A;oui;maintien;;;\n"  # unknown type
                   + f"ACT-SSC-{acte.pk};{m1.reference};Certificat de 24 heures;{d};Dr A;oui;maintien;;;\n"
                   + f"ACT-SSC-{acte.pk};{m1.reference};Certificat de 24 heures;{d};Dr A;oui;maintien;;;\n"
                   + f";{m2.reference};Levée de la mesure;{d};Directeur;non;;;;\n").encode()  # valid: not written
        assert _erreurs("actes_ssc", contenu, bureau) == [
            (2, "Date et heure"), (3, "Mesure"), (4, "Type"), (6, "Référence"),
        ]
        assert _etat() == avant

    def test_un_certificat_72h_date_avant_celui_de_24h(self, jeu, bureau):
        _, m2 = jeu
        avant = _etat()
        contenu = (ENTETE_ACTES
                   + f";{m2.reference};Certificat de 24 heures;{m2.t0 + timedelta(hours=23):%d/%m/%Y %H:%M};"
                     "Dr Psy Un;oui;maintien;;;\n"
                   + f";{m2.reference};Certificat de 72 heures;{m2.t0 + timedelta(hours=22):%d/%m/%Y %H:%M};"
                     "Dr Psy Deux;oui;maintien;Hospitalisation complète;;\n"
                   + f";{m2.reference};Certificat mensuel;{m2.t0 - timedelta(hours=1):%d/%m/%Y %H:%M};"
                     "Dr Psy Un;oui;maintien;;;\n").encode()  # before T0
        erreurs = _importer("actes_ssc", contenu, bureau).erreurs
        assert [(e.ligne, e.colonne) for e in erreurs] == [(3, "Date et heure"), (4, "Date et heure")]
        assert "ne peut précéder celui de 24 h" in erreurs[0].message
        assert "antérieure à l'admission" in erreurs[1].message
        assert _etat() == avant

    def test_un_acte_modifie_est_refuse(self, jeu, bureau):
        m1, _ = jeu
        avant = _etat()
        acte = ActeMesure.objects.filter(mesure=m1, type="certificat_24h").get()
        contenu = ("Référence;Mesure;Type;Date et heure;Auteur\n" + f"ACT-SSC-{acte.pk};{m1.reference};"
                   f"Certificat de 24 heures;{timezone.localtime(acte.date_heure):%d/%m/%Y %H:%M};Dr Autre\n").encode()
        assert _erreurs("actes_ssc", contenu, bureau) == [(2, "Auteur")]
        assert _etat() == avant


def test_permission(monde):
    for code in ("mesures_ssc", "actes_ssc"):
        registre = importation.REGISTRES[code]
        assert registre.peut_importer(monde.users["bureau_admissions"])
        assert registre.peut_importer(monde.users["administrateur"])
        assert not registre.peut_importer(monde.users["psychiatre"])  # ssc.voir_unite only
        assert not registre.peut_importer(monde.users["relations_usagers"])  # import.registres, not ssc.gerer


def test_fichiers_d_exemple_et_pages_conformes_aux_registres(db):
    import io
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    from qualite.organisation.models import Utilisateur

    call_command("demo", stdout=io.StringIO())
    docs = Path(settings.BASE_DIR) / "docs" / "import"
    for code in ("mesures_ssc", "actes_ssc"):
        registre = importation.REGISTRES[code]
        page = (docs / registre.doc).read_text()
        for nom in registre.noms:
            assert f"| `{nom}` |" in page, nom
        assert f"[{registre.doc}]({registre.doc})" in (docs / "README.md").read_text()
        contenu = (docs / "exemples" / f"{code}.csv").read_bytes()
        assert contenu.decode().splitlines()[0].split(";") == registre.noms
    user = Utilisateur.objects.get(username="admissions")
    contenu = (docs / "exemples" / "mesures_ssc.csv").read_bytes()
    analyse = importation.analyser(importation.REGISTRES["mesures_ssc"], contenu, utilisateur=user, nom_fichier="ex.csv")
    assert importation.ecrire(analyse, utilisateur=user, essai=True).erreurs == []
