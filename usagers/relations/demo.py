"""Demo user-relations data: CDU members and sessions, complaints at each step, record requests."""

from datetime import date, timedelta

from django.utils import timezone

from qualite.organisation.models import Etablissement, Service, Utilisateur
from usagers.relations import services
from usagers.relations.models import MembreCDU, Reclamation, SeanceCDU


def charger_demo():
    if Reclamation.objects.filter(auteur_nom="Odile Marchand (démo)").exists():
        return
    etab = Etablissement.objects.get(nom="Centre hospitalier de Valmont")
    par = Utilisateur.objects.get(username="relations")
    aujourdhui = timezone.localdate()
    debut = date(aujourdhui.year - 1, 9, 1)
    for nom, role, asso in [
        ("Dr Marie Lambert", "president", ""), ("M. Paul Girard", "representant_legal", ""),
        ("Dr Henri Blanc", "mediateur_medical", ""), ("Mme Sylvie Noël", "mediateur_non_medical", ""),
        ("Mme Lucie Représentante", "ru_titulaire", "UFC-Que Choisir"), ("M. Karim Haddad", "ru_titulaire", "France Assos Santé"),
        ("Mme Agnès Petit", "ru_suppleant", "Ligue contre le cancer"),
    ]:
        services.membre_enregistrer(par=par, donnees={
            "etablissement": etab, "nom": nom, "role": role, "association": asso, "debut_mandat": debut,
            "fin_mandat": date(debut.year + 3, 8, 31) if role.startswith("ru") else date(aujourdhui.year, 12, 31) + timedelta(days=60)})
    ru = MembreCDU.objects.get(nom="Mme Lucie Représentante")
    seances = []
    for mois in (3, 6):
        s = SeanceCDU.objects.create(etablissement=etab, date=date(aujourdhui.year, mois, 14), statut="tenue" if date(aujourdhui.year, mois, 14) < aujourdhui else "planifiee",
                                     ordre_du_jour="Réclamations du trimestre ; demandes de dossier ; EIGS", created_by=par)
        s.presents.set(MembreCDU.objects.filter(etablissement=etab)[:5])
        seances.append(s)
    service = Service.objects.filter(pole__etablissement=etab).first()
    recue = aujourdhui - timedelta(days=25)
    services.reclamation_enregistrer(par=par, services=[service], donnees={
        "etablissement": etab, "nature": "plainte", "canal": "courrier", "categories": ["soins", "information"],
        "auteur_nom": "Odile Marchand (démo)", "lien_patient": "épouse", "patient_nom": "René Marchand",
        "objet": "Sortie sans ordonnance ni explication.", "recue_le": recue, "accuse_le": recue + timedelta(days=3),
        "mediation": "medicale", "mediateur_saisi_le": aujourdhui - timedelta(days=5), "ru_accompagnant": ru,
        "resume_anonymise": "Sortie sans ordonnance ni information du proche.", "resume_valide": True})
    services.reclamation_enregistrer(par=par, services=[service], donnees={
        "etablissement": etab, "nature": "eloge", "canal": "courriel", "categories": ["relation"],
        "auteur_nom": "Famille Dubois (démo)", "lien_patient": "fille", "objet": "Merci à l'équipe de nuit.",
        "recue_le": aujourdhui - timedelta(days=3)})
    services.demande_enregistrer(par=par, donnees={
        "etablissement": etab, "patient_nom": "Jeanne Roux (démo)", "patient_naissance": date(1950, 1, 1),
        "demandeur_type": "patient", "demandeur_nom": "Jeanne Roux (démo)",
        "recue_le": timezone.now() - timedelta(days=6), "informations_du": aujourdhui - timedelta(days=200),
        "identite_verifiee": True, "qualite_verifiee": True})
