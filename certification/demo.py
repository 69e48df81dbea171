"""Demo référentiel: the example file of the repository, loaded by the same import as the référentiel page."""

from pathlib import Path

from certification.models import Referentiel
from certification.services import referentiel_importer

FICHIER_EXEMPLE = Path(__file__).resolve().parent / "donnees" / "referentiel_exemple.csv"
VERSION_EXEMPLE = "exemple-demo"


def charger_demo():
    """Only in a database with no référentiel: a real one imported by the quality team is never shadowed."""
    if Referentiel.objects.exists():
        return
    referentiel_importer(contenu=FICHIER_EXEMPLE.read_bytes(), version=VERSION_EXEMPLE, activer=True,
                         libelle="Référentiel d'exemple (démonstration : structure HAS, textes à remplacer)")


# Seed 000, one établissement, one year: 8 patients traceurs, 12 audits, 8 satisfaction surveys.
PAR_AN = {"patients_traceurs": 8, "audits": 12, "enquetes": 8}
AUDITS = ["Audit du dossier patient", "Audit de la check-list au bloc", "Audit de l'identitovigilance",
          "Audit de la traçabilité de la douleur", "Audit des chariots d'urgence", "Audit de l'hygiène des mains"]
ENQUETES = ["e-Satis MCO 48 h", "e-Satis chirurgie ambulatoire", "Questionnaire de sortie", "Enquête des repas"]


def charger_historique(historique) -> dict[str, int]:
    """Years of patients traceurs, audits and satisfaction surveys per établissement (a few rows a year,
    their dates in the year, written with their history)."""
    from datetime import date, datetime, time, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from certification.models import Audit, EnqueteSatisfaction, Evaluation
    from qualite.organisation.models import Etablissement, Service, Utilisateur
    from qualite.outils import registres
    from qualite.outils.copie import horodatage_libre, inserer_historise

    rng = historique.rng("certification")
    aujourdhui = timezone.localdate()
    par = Utilisateur.objects.filter(username="qualiticien").first()
    evaluations, audits, enquetes = [], [], []

    def jour(annee):
        fin = min(date(annee, 12, 31), aujourdhui)
        return date(annee, 1, 1) + timedelta(days=rng.randint(0, (fin - date(annee, 1, 1)).days))

    def horodatage(j):
        instant = timezone.make_aware(datetime.combine(j, time(16)))
        return {"created_by": par, "created_at": instant, "updated_at": instant}

    for etab in Etablissement.objects.filter(actif=True).order_by("id"):
        services = list(Service.objects.filter(pole__etablissement=etab))
        for annee in historique.liste_annees():
            for _ in range(historique.nombre(PAR_AN["patients_traceurs"], annee)):
                j = jour(annee)
                evaluations.append(Evaluation(
                    methode=Evaluation.Methode.PATIENT_TRACEUR, date=j, etablissement=etab, service=rng.choice(services),
                    evaluateurs="Médecin évaluateur\nCadre de santé d'un autre pôle",
                    constats="Projet de soins partagé avec le patient ; traçabilité de la douleur à renforcer.",
                    **horodatage(j)))
            for _ in range(historique.nombre(PAR_AN["audits"], annee)):
                j = jour(annee)
                audits.append(Audit(titre=rng.choice(AUDITS), date=j, etablissement=etab, service=rng.choice(services),
                                    constats="Conformité globale satisfaisante ; deux écarts suivis au plan d'actions.",
                                    **horodatage(j)))
            for _ in range(historique.nombre(PAR_AN["enquetes"], annee)):
                fin = jour(annee)
                titre = rng.choice(ENQUETES)
                esatis = titre.startswith("e-Satis")
                enquetes.append(EnqueteSatisfaction(
                    type="esatis" if esatis else "interne", titre=titre, etablissement=etab, service=None,
                    periode_debut=max(date(annee, 1, 1), fin - timedelta(days=rng.randint(30, 120))), periode_fin=fin,
                    reponses=rng.randint(25, 180), score=Decimal(rng.randint(640, 820)) / 10, **horodatage(fin)))
    with horodatage_libre(Evaluation, Audit, EnqueteSatisfaction):
        inserer_historise(Evaluation, evaluations)
        inserer_historise(Audit, audits)
        inserer_historise(EnqueteSatisfaction, enquetes)
    for modele in (Evaluation, Audit, EnqueteSatisfaction):
        registres.modifie(modele)
    return {"patients traceurs": len(evaluations), "audits": len(audits), "enquêtes de satisfaction": len(enquetes)}
