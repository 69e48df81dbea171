"""Order of an isolation / restraint decision's steps (ORDRE_ISOLEMENT): informing the judge and the relatives, and
referring to the judge, not before the measure's first isolation or restraint (they may be recorded on a later
decision of the episode) — on the screen (message under the field, nothing written)
and in the decisions' import (the whole file refused, line and column). The checks against T0 already existed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.outils import importation
from usagers.ssc.models import MesureIsolement

pytestmark = pytest.mark.django_db
ENTETE = ("Référence;Mesure;Type;Psychiatre décideur;Début;Fin;Surveillance;Motif;Juge informé le;"
          "Proche informé le;Juge saisi le\n")


def _fmt(dt, sep=" "):
    return timezone.localtime(dt).strftime(f"%d/%m/%Y{sep}%H:%M" if sep == " " else "%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("champ", ["juge_informe_le", "proche_informe_le", "juge_saisi_le"])
def test_avant_le_debut_refuse_a_l_ecran(monde, client_de, admettre, champ):
    m = admettre("sdt", t0=timezone.now() - timedelta(days=2))
    debut = timezone.now() - timedelta(hours=3)
    donnees = {"iso-type": "isolement", "iso-psychiatre": "Dr Un", "iso-debut": _fmt(debut, "T"),
               "iso-fin": _fmt(debut + timedelta(hours=2), "T"), "iso-surveillance": "IDE", "iso-motif": "Agitation",
               f"iso-{champ}": _fmt(debut - timedelta(hours=1), "T")}
    response = client_de(monde.users["psychiatre"]).post(reverse("usagers:ssc_isolement", args=[m.pk]), donnees)
    assert response.status_code == 200
    formulaire = response.context.get("isolement_form") or response.context["form"]
    assert "ne peut précéder le premier isolement" in " ".join(formulaire.errors[champ])
    assert not MesureIsolement.objects.exists()


@pytest.mark.parametrize("colonne", ["Juge informé le", "Proche informé le", "Juge saisi le"])
def test_avant_le_debut_refuse_a_l_import(monde, admettre, colonne):
    m = admettre("sdt")
    debut = m.t0 + timedelta(days=3)
    valeurs = {"Juge informé le": "", "Proche informé le": "", "Juge saisi le": ""}
    valeurs[colonne] = _fmt(m.t0 + timedelta(hours=23))  # after T0, before the first isolation (row 2)
    bonne = (f";{m.reference};Isolement;Dr Un;{_fmt(m.t0 + timedelta(days=1))};{_fmt(m.t0 + timedelta(days=1, hours=6))};"
             "IDE;Agitation;;;\n")
    mauvaise = f";{m.reference};Isolement;Dr Deux;{_fmt(debut)};;IDE;Agitation;{';'.join(valeurs.values())}\n"
    analyse = importation.analyser(importation.REGISTRES["isolements_ssc"], (ENTETE + bonne + mauvaise).encode(),
                                   utilisateur=monde.users["bureau_admissions"], nom_fichier="f.csv")
    bilan = importation.ecrire(analyse, utilisateur=monde.users["bureau_admissions"])
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(3, colonne)]
    assert not MesureIsolement.objects.exists()


def test_information_sur_une_decision_ulterieure_de_l_episode_acceptee(monde, admettre):
    from usagers.ssc import services

    m = admettre("sdt")
    debut = m.t0 + timedelta(days=1)
    services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
        type="isolement", psychiatre="Dr Un", debut=debut, fin=debut + timedelta(hours=12), surveillance="IDE"))
    suivante = MesureIsolement(type="isolement", psychiatre="Dr Un", debut=debut + timedelta(hours=12),
                               fin=debut + timedelta(hours=24), surveillance="IDE",
                               juge_informe_le=debut + timedelta(hours=11))
    services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=suivante)
    assert MesureIsolement.objects.filter(mesure=m).count() == 2
