"""Demo letterheads: each établissement gets its letterhead, signatory and appeal routes (idempotent), so that
the demo letters show them. Kept apart from demo.py (the complaints, sessions and requests of the demo)."""

from qualite.organisation.models import Etablissement
from usagers.relations.models import EnTeteCourrier, MembreCDU, logos_disponibles

ARS = ("ARS Normandie", "Espace Claude Monet, 2 place Jean Nouzille\nCS 55035\n14050 Caen Cedex 4")


def charger_courriers_demo():
    logo = "courriers/logos/logo-exemple.svg" if "courriers/logos/logo-exemple.svg" in logos_disponibles() else ""
    for etab in Etablissement.objects.filter(actif=True).exclude(
            pk__in=EnTeteCourrier.objects.values("etablissement_id")):
        mediateurs = dict(MembreCDU.objects.filter(
            etablissement=etab, role__in=["mediateur_medical", "mediateur_non_medical"], actif=True
        ).values_list("role", "nom"))
        EnTeteCourrier.objects.create(
            etablissement=etab, nom=etab.nom, adresse="Direction des relations avec les usagers\n1 avenue de l'Hôpital",
            telephone="02 00 00 00 00", logo=logo, signataire_nom="Mme Hélène Morel",
            signataire_fonction="Directrice de la qualité et des relations avec les usagers",
            mediateur_medical=mediateurs.get("mediateur_medical", ""),
            mediateur_non_medical=mediateurs.get("mediateur_non_medical", ""),
            cdu_contact="Commission des usagers — secrétariat de la direction des relations avec les usagers",
            ars_nom=ARS[0], ars_adresse=ARS[1])
