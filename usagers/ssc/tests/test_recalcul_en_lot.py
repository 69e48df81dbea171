"""The legal calendars of many measures computed and their deadlines synchronised together (mesures_recalculer,
synchroniser_en_lot): the same deadlines, history and audit as measure by measure, on a varied file (SDT, urgence,
péril imminent, SDRE, maire, levées, missing certificates, isolation, both daylight-saving changes)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.outils import importation
from qualite.outils.tests.instantane import essai, instantane
from usagers.ssc import services
from usagers.ssc.models import ActeMesure, MesureIsolement, MesureSoinsSansConsentement, TransitionMesure

PARIS = ZoneInfo("Europe/Paris")
ENTETE = "Référence;Mesure;Type;Date et heure;Auteur;Psychiatre de l'établissement;Conclusion;Forme;Commentaire\n"
C24, C72, MENSUEL = "Certificat de 24 heures", "Certificat de 72 heures", "Certificat mensuel"


def _dernier_dimanche(annee: int, mois: int) -> date:
    jour = date(annee, mois, 31)
    return jour - timedelta(days=(jour.weekday() + 1) % 7)


def _paris(jour: date, heure: int, minute: int = 0) -> datetime:
    return datetime(jour.year, jour.month, jour.day, heure, minute, tzinfo=PARIS)


def _il_y_a(jours: int) -> datetime:
    return (timezone.localtime() - timedelta(days=jours)).replace(hour=14, minute=30, second=0, microsecond=0)


def _ligne(m, type_, quand, auteur="Dr Psy Un", psy="oui", conclusion="", forme=""):
    return f";{m.reference};{type_};{timezone.localtime(quand):%d/%m/%Y %H:%M};{auteur};{psy};{conclusion};{forme};\n"


@pytest.fixture
def bureau(monde):
    return monde.users["bureau_admissions"]


@pytest.fixture
def dossiers(monde, admettre, bureau):
    """Eight measures and the file of their records, in an order that mixes the measures."""
    annee = timezone.localdate().year - 1
    mars, octobre = _dernier_dimanche(annee, 3), _dernier_dimanche(annee, 10)
    sdt = admettre("sdt", t0=_paris(mars - timedelta(days=1), 14, 30), ipp="IPP-SDT")  # 24 h across spring-forward
    urgence = admettre("sdt_urgence", t0=_paris(octobre - timedelta(days=1), 23), ipp="IPP-URG")  # across fall-back
    spi = admettre("spi", t0=_il_y_a(60), ipp="IPP-SPI")
    sdre = admettre("sdre", t0=_il_y_a(100), ipp="IPP-SDRE")
    maire = admettre("sdre_maire", t0=_il_y_a(30), ipp="IPP-MAIRE")
    manquants = admettre("sdt", t0=_il_y_a(40), ipp="IPP-MANQUE")  # no 24 h nor 72 h certificate: overdue
    isole = admettre("sdt", t0=_il_y_a(15), ipp="IPP-ISO")
    programme = admettre("sdt", t0=_il_y_a(35), ipp="IPP-PROG")  # programme de soins, then back in HC
    debut = isole.t0 + timedelta(days=5)
    for i in range(2):
        services.isolement_enregistrer(mesure=isole, par=bureau, decision=MesureIsolement(
            type="isolement", psychiatre="Dr Iso", debut=debut + timedelta(hours=12 * i),
            fin=debut + timedelta(hours=12 * (i + 1)), surveillance="IDE"))
    h, j = (lambda n: timedelta(hours=n)), (lambda n: timedelta(days=n))
    lignes = [
        _ligne(sdt, C24, sdt.t0 + h(20), conclusion="maintien"),
        _ligne(urgence, C24, urgence.t0 + h(22), auteur="Dr Psy Un", conclusion="maintien"),
        _ligne(spi, "Information de la famille (péril imminent)", spi.t0 + h(10), auteur="Cadre de santé", psy="non"),
        _ligne(sdre, C24, sdre.t0 + h(21), conclusion="maintien"),
        _ligne(sdt, C72, sdt.t0 + h(70), auteur="Dr Psy Deux", conclusion="maintien", forme="hc"),
        _ligne(maire, "Saisine du préfet par le maire (mesure provisoire)", maire.t0 + h(5), auteur="Maire", psy="non"),
        _ligne(urgence, C72, urgence.t0 + h(60), auteur="Dr Psy Deux", conclusion="maintien", forme="hc"),
        _ligne(spi, C24, spi.t0 + h(20), conclusion="maintien"),
        _ligne(sdre, C72, sdre.t0 + h(70), auteur="Dr Psy Deux", conclusion="maintien", forme="hc"),
        _ligne(maire, "Arrêté préfectoral d'admission", maire.t0 + h(30), auteur="Préfet", psy="non"),
        _ligne(sdt, "Saisine du juge", sdt.t0 + j(5), auteur="Directeur", psy="non"),
        _ligne(spi, C72, spi.t0 + h(66), auteur="Dr Psy Deux", conclusion="fin"),  # lifts the measure
        _ligne(sdre, "Décision sur la forme de la prise en charge", sdre.t0 + j(4), auteur="Préfet", psy="non", forme="hc"),
        _ligne(sdt, "Décision du juge", sdt.t0 + j(10), auteur="Juge", psy="non", conclusion="maintien"),
        _ligne(isole, C24, isole.t0 + h(23), conclusion="maintien"),
        _ligne(maire, "Arrêté préfectoral de maintien", maire.t0 + j(27), auteur="Préfet", psy="non"),
        _ligne(programme, C24, programme.t0 + h(19), conclusion="maintien"),
        _ligne(sdre, "Saisine du juge", sdre.t0 + j(6), auteur="Directeur", psy="non"),
        _ligne(programme, C72, programme.t0 + h(69), auteur="Dr Psy Deux", conclusion="maintien", forme="hc"),
        _ligne(manquants, "Saisine du juge", manquants.t0 + j(6), auteur="Directeur", psy="non"),
        _ligne(sdt, MENSUEL, sdt.t0 + j(29), conclusion="maintien"),
        _ligne(maire, MENSUEL, maire.t0 + j(28), conclusion="maintien"),
        _ligne(programme, "Passage en programme de soins", programme.t0 + j(5), auteur="Dr Psy Un"),
        _ligne(urgence, "Levée de la mesure", urgence.t0 + j(20), auteur="Directeur", psy="non"),
        _ligne(programme, "Réintégration en hospitalisation complète", programme.t0 + j(9), auteur="Dr Psy Un"),
        _ligne(isole, C72, isole.t0 + h(71), auteur="Dr Psy Deux", conclusion="maintien", forme="hc"),
        _ligne(sdre, "Décision du juge", sdre.t0 + j(11), auteur="Juge", psy="non", conclusion="mainlevee"),
    ]
    mesures = [sdt, urgence, spi, sdre, maire, manquants, isole, programme]
    return mesures, (ENTETE + "".join(lignes)).encode()


def _importer(contenu, user, *, en_lot):
    analyse = importation.analyser(importation.REGISTRES["actes_ssc"], contenu, utilisateur=user, nom_fichier="actes.csv")
    assert analyse.valide, analyse.erreurs
    return importation.ecrire(analyse, utilisateur=user, en_lot=en_lot)


def _lire():
    return {"mesures": instantane(MesureSoinsSansConsentement, "reference", (TransitionMesure, "mesure")),
            "actes": instantane(ActeMesure, lambda a: (a.mesure.reference, a.type, a.date_heure))}


def test_import_en_lot_et_ligne_a_ligne_laissent_les_memes_echeances_historique_et_audit(dossiers, bureau):
    # Row by row, a deadline that only a state between two lines expects is written, then kept "sans objet"
    # (a 6-month review, then a release): the file has none, the next test compares every path.
    _mesures, contenu = dossiers
    bilan_ligne, ligne = essai(_importer, contenu, bureau, en_lot=False, lire=_lire)
    bilan_lot, lot = essai(_importer, contenu, bureau, en_lot=True, lire=_lire)
    assert bilan_ligne.erreurs == bilan_lot.erreurs == [] and bilan_lot.crees == bilan_ligne.crees == 27
    sans_objet = [e for _ref, e in lot["mesures"]["echeances"] if ("sans_objet", "True") in e]
    assert sans_objet and len(lot["mesures"]["echeances"]) > 40, "lifted and changed paths leave deadlines to compare"
    levees = [r for r in lot["mesures"]["lignes"] if ("levee_le", "None") not in r]
    assert len(levees) == 3  # lifting record, 72 h certificate concluding "fin", judge's release
    for quoi in ("mesures", "actes"):
        for partie in ("lignes", "historique", "audit", "echeances"):
            assert lot[quoi][partie] == ligne[quoi][partie], (quoi, partie)
    # the measures' timelines: each act with the step it moved the measure from and to
    assert len(lot["mesures"]["TransitionMesure"]) >= 27
    def sans_id_d_acte(etapes):  # the act by its id differs between two runs; its type and measure say it
        return sorted((ref, tuple(v for v in ligne if v[0] != "acte")) for ref, ligne in etapes)

    assert sans_id_d_acte(lot["mesures"]["TransitionMesure"]) == sans_id_d_acte(ligne["mesures"]["TransitionMesure"])


def _sans_recalcul(dossiers, bureau):
    """The file's records written as they are, the calendars left as at admission; one record cancelled."""
    mesures, _ = dossiers
    sdt, urgence, spi, sdre, *_ = mesures
    actes = [ActeMesure(mesure=sdt, type="certificat_24h", date_heure=sdt.t0 + timedelta(hours=20), auteur="Dr A",
                        psychiatre_etablissement=True, conclusion="maintien", created_by=bureau),
             ActeMesure(mesure=sdt, type="certificat_72h", date_heure=sdt.t0 + timedelta(hours=70), auteur="Dr B",
                        psychiatre_etablissement=True, conclusion="maintien", forme="hc", created_by=bureau),
             ActeMesure(mesure=urgence, type="certificat_24h", date_heure=urgence.t0 + timedelta(hours=22),
                        auteur="Dr A", psychiatre_etablissement=True, conclusion="maintien", created_by=bureau),
             ActeMesure(mesure=spi, type="certificat_24h", date_heure=spi.t0 + timedelta(hours=22), auteur="Dr A",
                        psychiatre_etablissement=True, conclusion="fin", created_by=bureau),
             ActeMesure(mesure=sdre, type="decision_juge", date_heure=sdre.t0 + timedelta(days=10), auteur="Juge",
                        conclusion="maintien", created_by=bureau),
             ActeMesure(mesure=sdre, type="saisine_juge", date_heure=sdre.t0 + timedelta(days=5), auteur="Directeur",
                        annule=True, motif_annulation="saisie en double", created_by=bureau)]
    ActeMesure.objects.bulk_create(actes)
    return [m.pk for m in mesures]


def _echeances():
    refs = dict(MesureSoinsSansConsentement.objects.values_list("pk", "reference"))
    return {"echeances": instantane(Echeance, lambda e: (refs[e.object_id], e.regle.code, e.cle)),
            "mesures": instantane(MesureSoinsSansConsentement, "reference")}


@pytest.mark.parametrize("correction", [False, True])
def test_recalcul_en_lot_egal_au_recalcul_mesure_par_mesure(dossiers, bureau, correction):
    ids = _sans_recalcul(dossiers, bureau)
    relues = lambda: list(MesureSoinsSansConsentement.objects.filter(pk__in=ids).order_by("pk"))  # noqa: E731

    def une_a_une():
        for m in relues():
            services.mesure_recalculer(m, correction=correction)

    _, reference = essai(une_a_une, lire=_echeances)
    _, lot = essai(lambda: services.mesures_recalculer(relues(), correction=correction), lire=_echeances)
    assert any(("satisfaite_le", "None") not in e for e in reference["echeances"]["lignes"])
    assert [r for r in reference["mesures"]["lignes"] if ("levee_le", "None") not in r], "a lifting is recomputed"
    for quoi in ("echeances", "mesures"):
        for partie in ("lignes", "historique"):
            assert lot[quoi][partie] == reference[quoi][partie], (quoi, partie)


def test_le_recalcul_en_lot_lit_et_ecrit_en_un_nombre_fixe_de_requetes(dossiers, bureau):
    ids = _sans_recalcul(dossiers, bureau)
    comptes = []
    for n in (3, len(ids)):  # both with one lifting to write (the péril imminent's)
        mesures = list(MesureSoinsSansConsentement.objects.filter(pk__in=ids[:n]).order_by("pk"))
        with CaptureQueriesContext(connection) as requetes:
            services.mesures_recalculer(mesures, correction=True)
        comptes.append(len(requetes))
    assert max(comptes) <= 14, comptes  # none per measure: 8 measures would need far more


def test_un_objet_deux_fois_dans_le_lot_est_refuse(dossiers):
    from qualite.echeances.moteur import Synchronisation, synchroniser_en_lot

    mesure = dossiers[0][0]
    synchro = Synchronisation(objet=mesure, prevues=[], reference=mesure.reference,
                              etablissement_id=mesure.etablissement_id)
    with pytest.raises(ValueError, match="deux fois"):
        synchroniser_en_lot([synchro, synchro])
