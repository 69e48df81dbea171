"""The representatives' indicator « espaces d'échanges fréquentés », through the core's registry (usagers/impact
shows it with the CDU's indicators)."""

from qualite.espaces import services
from qualite.espaces.models import PresenceReunion
from qualite.pilotage import indicateurs_ru


def test_l_indicateur_compte_les_reunions_tenues_par_compte_et_par_annee(reunions_a, monde):
    ru, cadre = monde.users["representant_usagers"], monde.users["cadre_pole"]
    services.compte_rendu_enregistrer(reunion=reunions_a[0], par=cadre, compte_rendu="CR", valider=True,
                                      presences=[{"utilisateur": ru, "qualite": PresenceReunion.Qualite.REPRESENTANT},
                                                 {"utilisateur": cadre}])
    annee = reunions_a[0].date.year
    indicateur = next(i for i in indicateurs_ru.catalogue() if i.code == "espaces")
    assert indicateur.cle == "utilisateur" and "Réunions tenues" in indicateur.definition
    comptes = indicateurs_ru.calculer(annees=[annee - 1, annee], etablissements=[monde.etab_a.pk])["espaces"]
    assert comptes == {(ru.pk, annee): 1}
    assert indicateurs_ru.calculer(annees=[annee], etablissements=[monde.etab_b.pk])["espaces"] == {}
