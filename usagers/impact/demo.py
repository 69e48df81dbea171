"""Demo: an impact campaign (before closed, after open: the « ru » account can answer) and two services'
bientraitance self-assessments over two years, one with a weak theme."""

from datetime import date, timedelta

from django.utils import timezone

from qualite.organisation.models import Etablissement, Service, Utilisateur
from usagers.impact import referentiels, services
from usagers.impact.models import CampagneImpact, Grille, ItemGrille, Temps
from usagers.relations.models import MembreCDU, Reclamation


def charger_demo():
    if CampagneImpact.objects.filter(titre="Cohorte des représentants (démo)").exists():
        return
    referentiels.synchroniser()
    etab = Etablissement.objects.get(nom="Centre hospitalier de Valmont")
    relations = Utilisateur.objects.get(username="relations")
    qualiticien = Utilisateur.objects.get(username="qualiticien")
    ru = list(MembreCDU.objects.filter(etablissement=etab, role__in=MembreCDU.ROLES_RU).order_by("nom"))
    if not ru:
        return
    lucie = next((m for m in ru if "Lucie" in m.nom), ru[0])
    MembreCDU.objects.filter(pk=lucie.pk, utilisateur__isnull=True).update(
        utilisateur=Utilisateur.objects.filter(username="ru").first())
    Reclamation.objects.filter(etablissement=etab, ru_accompagnant__isnull=False, ru_referent__isnull=True).update(
        ru_referent=lucie)
    aujourdhui = timezone.localdate()
    grille = Grille.objects.get(type=Grille.Type.IMPACT)
    items = list(ItemGrille.objects.filter(theme__grille=grille).order_by("theme__numero", "id"))
    c = services.campagne_impact_enregistrer(par=relations, cohorte=ru, donnees={
        "etablissement": etab, "titre": "Cohorte des représentants (démo)", "grille": grille,
        "avant_le": date(aujourdhui.year - 1, 1, 15), "apres_le": aujourdhui - timedelta(days=10)})
    for k, membre in enumerate(ru):
        services.reponses_impact_enregistrer(campagne=c, membre=membre, temps=Temps.AVANT, par=relations,
                                             valeurs={i.pk: 1 + (k + n) % 3 for n, i in enumerate(items)})
        if membre != lucie:  # Lucie (« ru ») has the after measure to answer
            services.reponses_impact_enregistrer(campagne=c, membre=membre, temps=Temps.APRES, par=relations,
                                                 valeurs={i.pk: 3 + (k + n) % 3 for n, i in enumerate(items)})
    services.campagne_impact_clore(campagne=c, temps=Temps.AVANT, par=relations)
    bt = Grille.objects.get(type=Grille.Type.BIENTRAITANCE)
    criteres = list(ItemGrille.objects.filter(theme__grille=bt).order_by("theme__numero", "id"))
    for nom, faible in (("Cardiologie", 3), ("Gériatrie", 2)):
        service = Service.objects.filter(pole__etablissement=etab, nom=nom).first()
        if service is None:
            continue
        for annee, bonus in ((aujourdhui.year - 1, 0), (aujourdhui.year, 1)):
            camp = services.bientraitance_enregistrer(par=qualiticien, donnees={"service": service, "annee": annee,
                                                                                "grille": bt})
            services.bientraitance_repondre(campagne=camp, par=qualiticien, revision=None,
                                            participants="IDE, aide-soignante, cadre de santé, médecin",
                                            valeurs={i.pk: (0 if i.theme.numero == faible and not bonus else
                                                            min(2, 1 + bonus + n % 2)) for n, i in enumerate(criteres)})
