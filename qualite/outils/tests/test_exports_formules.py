"""Every export writes a formula-like text as text (CSV / formula injection), and the import reads it back as it was."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qualite.outils import importation
from qualite.outils.exports import reponse_export
from usagers.ssc.tests.conftest import admettre  # noqa: F401  (fixture of the SSC exports)

CHARGES = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def _evenements(monde, request):
    from evenements.models import EvenementIndesirable
    from evenements.tests.factories import EvenementFactory

    EvenementFactory(service=monde.service_a)
    return lambda t: EvenementIndesirable.objects.update(description=t)


def _actions(monde, request):
    from qualite.organisation.tests.factories import ActionFactory
    from qualite.paqss.models import ActionAmelioration

    ActionFactory(service=monde.service_a, echeance=date(2030, 1, 1))
    return lambda t: ActionAmelioration.objects.update(titre=t)


def _reclamations(monde, request, champ="objet"):
    from usagers.relations.models import Reclamation
    from usagers.relations.tests.test_importation import _rec

    _rec(monde, resume_anonymise="Résumé", resume_valide=True)  # the anonymised export: a validated summary only
    return lambda t: Reclamation.objects.update(**{champ: t})


def _dossiers(monde, request):
    from usagers.relations.models import DemandeDossier
    from usagers.relations.tests.test_importation import _dmd

    _dmd(monde)
    return lambda t: DemandeDossier.objects.update(demandeur_nom=t)


def _seances(monde, request):
    from usagers.relations.models import SeanceCDU
    from usagers.relations.tests.test_importation_cdu import _seance

    _seance(monde)
    return lambda t: SeanceCDU.objects.update(compte_rendu=t)


def _mesures(monde, request):
    from usagers.ssc.models import MesureSoinsSansConsentement

    request.getfixturevalue("admettre")("sdt")
    return lambda t: MesureSoinsSansConsentement.objects.update(tiers_nom=t)


def _actes(monde, request):
    from usagers.ssc.models import ActeMesure
    from usagers.ssc.tests.test_importation_ssc import _acte

    mesure = request.getfixturevalue("admettre")("sdt")
    _acte(mesure, monde.users["bureau_admissions"], "certificat_24h", timedelta(hours=20))
    return lambda t: ActeMesure.objects.update(commentaire=t)


def _isolements(monde, request, champ="motif"):
    from usagers.ssc import services
    from usagers.ssc.models import MesureIsolement

    mesure = request.getfixturevalue("admettre")("sdt")
    debut = mesure.t0 + timedelta(days=1)
    services.isolement_enregistrer(mesure=mesure, par=monde.users["psychiatre"], decision=MesureIsolement(
        type="isolement", psychiatre="Dr Un", debut=debut, fin=debut + timedelta(hours=12), surveillance="IDE"))
    return lambda t: MesureIsolement.objects.update(**{champ: t})


def _certification(modele, champ):
    def preparer(monde, request):
        from certification import models
        from certification.tests.test_importation import _donnees

        _donnees(monde)
        return lambda t: getattr(models, modele).objects.update(**{champ: t})
    return preparer


# name: (role, url, url args, query for a format, data and the text field the export carries)
EXPORTS = {
    "evenements": ("gestionnaire_risques", "evenements:liste", [], lambda f: {"export": f}, _evenements),
    "actions": ("gestionnaire_risques", "qualite:programme", [], lambda f: {"export": f}, _actions),
    "reclamations": ("relations_usagers", "usagers:reclamations", [], lambda f: {"export": f}, _reclamations),
    "reclamations-anonymisees": ("membre_cdu", "usagers:reclamations", [], lambda f: {"export": f},
                                 lambda m, r: _reclamations(m, r, "resume_anonymise")),
    "dossiers": ("relations_usagers", "usagers:dossiers", [], lambda f: {"export": f}, _dossiers),
    "seances_cdu": ("relations_usagers", "usagers:cdu", [], lambda f: {"export": f}, _seances),
    "mesures_ssc": ("bureau_admissions", "usagers:ssc_mesures", [], lambda f: {"export": f}, _mesures),
    "actes_ssc": ("bureau_admissions", "usagers:ssc_mesures", [], lambda f: {"export": f"actes-{f}"}, _actes),
    "isolements_ssc": ("bureau_admissions", "usagers:ssc_registre", [], lambda f: {"export": f"decisions-{f}"},
                       _isolements),
    "registre_isolement": ("bureau_admissions", "usagers:ssc_registre", [], lambda f: {"export": f},
                           lambda m, r: _isolements(m, r, "psychiatre")),
    "audits": ("gestionnaire_risques", "certification:exporter", ["audits"], lambda f: {"format": f},
               _certification("Audit", "constats")),
    "epp": ("gestionnaire_risques", "certification:exporter", ["epp"], lambda f: {"format": f},
            _certification("EPP", "pilotes")),
    "evaluations": ("gestionnaire_risques", "certification:exporter", ["evaluations"], lambda f: {"format": f},
                    _certification("Evaluation", "constats")),
}


def _contenu(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(contenu: bytes) -> list[str]:
    return [v for ligne in csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";") for v in ligne]


def _xlsx(contenu: bytes) -> list:
    return [c for ligne in load_workbook(io.BytesIO(contenu)).worksheets[0].iter_rows() for c in ligne]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("nom", list(EXPORTS))
def test_chaque_export_ecrit_un_texte_en_forme_de_formule_comme_du_texte(monde, client_de, request, nom, fmt):
    role, url, args, parametres, preparer = EXPORTS[nom]
    planter = preparer(monde, request)
    client = client_de(monde.users[role])
    for charge in CHARGES:
        planter(charge)
        response = client.get(reverse(url, args=args), parametres(fmt))
        assert response.status_code == 200, (nom, fmt)
        if fmt == "csv":
            valeurs = _csv(_contenu(response))
            assert f"'{charge}" in valeurs and charge not in valeurs, (nom, charge)
        else:
            cellules = _xlsx(_contenu(response))
            types = {c.data_type for c in cellules if c.value == charge}
            assert types == {"s"}, (nom, charge)
            assert not [c.coordinate for c in cellules if c.data_type == "f"], (nom, charge)


def test_nombres_intacts_et_caracteres_de_controle_sans_casser_le_classeur():
    lignes = [[-5, Decimal("-2.50"), -1.5, "-x", "a\x01b\tc"]]
    contenu = reponse_export("csv", "essai", ["a", "b", "c", "d", "e"], iter(lignes))
    assert _csv(_contenu(contenu))[5:] == ["-5", "-2.50", "-1.5", "'-x", "a\x01b\tc"]
    cellules = _xlsx(reponse_export("xlsx", "essai", ["a", "b", "c", "d", "e"], iter(lignes)).content)[5:]
    assert [c.value for c in cellules] == [-5, -2.5, -1.5, "-x", "ab\tc"]
    assert [c.data_type for c in cellules] == ["n", "n", "n", "s", "s"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_l_import_relit_son_propre_export_sans_changement(monde, client_de, request, fmt):
    from evenements.models import EvenementIndesirable

    planter = _evenements(monde, request)
    gestionnaire = monde.users["gestionnaire_risques"]
    for charge in [*CHARGES, "'=déjà cité", "''+deux", "'texte cité"]:
        planter(charge)
        response = client_de(gestionnaire).get(reverse("evenements:liste"), {"export": fmt})
        analyse = importation.analyser(importation.REGISTRES["evenements"], _contenu(response), utilisateur=gestionnaire,
                                       nom_fichier=f"export.{fmt}")
        assert analyse.erreurs == [] and [o.nature for o in analyse.operations] == ["inchangée"], charge
        assert EvenementIndesirable.objects.get().description == charge
