"""Demo documents: one diffused procedure to read (Cardiologie), one protocol awaiting verification, one
charter approved and waiting to be diffused. Idempotent."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from qualite.documents import services
from qualite.documents.models import Document
from qualite.organisation.models import Service, Utilisateur
from qualite.pieces.verification import controler

DOCUMENTS = [
    # titre, type, how far it goes in the workflow, its text, review date in days from today
    ("Hygiène des mains : friction hydro-alcoolique", "procedure", "diffusee",
     "La friction hydro-alcoolique est la technique de référence pour l'hygiène des mains. "
     "Elle précède et suit tout contact avec le patient ; la sécurité des soins en dépend.", 20),
    ("Prévention des chutes chez la personne âgée", "protocole", "verification",
     "Évaluer le risque de chute à l'admission, adapter l'environnement, réévaluer après toute chute.", 365),
    ("Charte de la personne hospitalisée", "charte", "approuvee",
     "Toute personne est libre de choisir l'établissement de santé qui la prendra en charge.", 730),
]


def _pdf(titre: str, texte: str) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    return HTML(string=f"<h1>{escape(titre)}</h1><p>{escape(texte)}</p>").write_pdf()


def charger_demo():
    if Document.objects.filter(titre=DOCUMENTS[0][0]).exists():
        return
    qualiticien = Utilisateur.objects.get(username="qualiticien")
    cadre = Utilisateur.objects.get(username="cadre")
    direction = Utilisateur.objects.get(username="direction")
    admin = Utilisateur.objects.get(username="admin")
    etablissement = qualiticien.etablissements.first()
    cardiologie = Service.objects.filter(pole__etablissement=etablissement, nom="Cardiologie").first()
    for titre, type_, statut, texte, jours in DOCUMENTS:
        fichier = ContentFile(_pdf(titre, texte), name=f"{type_}.pdf")
        document = services.document_creer(
            donnees={"titre": titre, "type": type_, "etablissement": etablissement, "proprietaire": qualiticien,
                     "service": cardiologie, "date_revision": timezone.localdate() + timedelta(days=jours)},
            par=qualiticien, fichier=fichier, nom=f"{titre[:60]}.pdf", controle=controler(fichier))
        version = document.versions.get()
        chemin = [("verification", qualiticien), ("approbation", cadre), ("approuvee", direction),
                  ("diffusee", admin)]
        for vers, par in chemin:
            cibles = {"services": [cardiologie] if cardiologie else [], "roles": ["cadre_pole"]}
            version = services.version_transition(version=version, vers=vers, par=par,
                                                  cibles=cibles if vers == "diffusee" else None)
            if vers == statut:
                break
