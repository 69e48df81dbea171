"""Demo documents: one diffused procedure to read (Cardiologie), one protocol awaiting verification, one
charter approved and waiting to be diffused, and the institutional documents each role has to read (the
declaration procedure for all staff, the CDU's rules for its members, the quality policy for the managers).
Idempotent."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from qualite.documents import services
from qualite.documents.models import Document
from qualite.organisation.models import Service, Utilisateur
from qualite.pieces.verification import controler

# To read: the staff and the CDU find in « À traiter » the documents diffused to them (by service or by role).
TOUS_LES_SOIGNANTS = ["declarant"]
CDU = ["membre_cdu", "representant_usagers", "direction", "relations_usagers", "mediateur"]
ENCADREMENT = ["direction", "cadre_pole", "gestionnaire_risques"]
DOCUMENTS = [
    # titre, type, how far it goes in the workflow, its text, review date in days from today,
    # diffused to (roles; None: the Cardiologie unit and the cadres)
    ("Hygiène des mains : friction hydro-alcoolique", "procedure", "diffusee",
     "La friction hydro-alcoolique est la technique de référence pour l'hygiène des mains. "
     "Elle précède et suit tout contact avec le patient ; la sécurité des soins en dépend.", 20, None),
    ("Prévention des chutes chez la personne âgée", "protocole", "verification",
     "Évaluer le risque de chute à l'admission, adapter l'environnement, réévaluer après toute chute.", 365, None),
    ("Charte de la personne hospitalisée", "charte", "approuvee",
     "Toute personne est libre de choisir l'établissement de santé qui la prendra en charge.", 730, None),
    ("Déclarer un évènement indésirable : qui, quand, comment", "procedure", "diffusee",
     "Tout professionnel déclare l'évènement dans les 24 heures ; la gestion des risques lui fait un retour.",
     365, TOUS_LES_SOIGNANTS),
    ("Règlement intérieur de la commission des usagers", "charte", "diffusee",
     "La commission se réunit au moins quatre fois par an ; les représentants des usagers y siègent de droit.",
     730, CDU),
    ("Examen des plaintes et réclamations par la CDU", "procedure", "diffusee",
     "Chaque plainte reçoit une réponse ; la médiation est proposée ; la CDU examine la synthèse trimestrielle.",
     365, CDU),
    ("Politique qualité et gestion des risques", "charte", "diffusee",
     "Sept axes stratégiques, déclinés en plans d'actions par pôle et suivis au programme d'amélioration.",
     365, ENCADREMENT),
]


def _pdf(titre: str, texte: str) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    return HTML(string=f"<h1>{escape(titre)}</h1><p>{escape(texte)}</p>").write_pdf()


def charger_demo():
    """Each document once (found by its title): a database loaded before a document was added gets it too."""
    deja = set(Document.objects.filter(titre__in=[d[0] for d in DOCUMENTS]).values_list("titre", flat=True))
    if len(deja) == len(DOCUMENTS):
        return
    qualiticien = Utilisateur.objects.get(username="qualiticien")
    cadre = Utilisateur.objects.get(username="cadre")
    direction = Utilisateur.objects.get(username="direction")
    admin = Utilisateur.objects.get(username="admin")
    etablissement = qualiticien.etablissements.first()
    cardiologie = Service.objects.filter(pole__etablissement=etablissement, nom="Cardiologie").first()
    for titre, type_, statut, texte, jours, roles in DOCUMENTS:
        if titre in deja:
            continue
        fichier = ContentFile(_pdf(titre, texte), name=f"{type_}.pdf")
        document = services.document_creer(
            donnees={"titre": titre, "type": type_, "etablissement": etablissement, "proprietaire": qualiticien,
                     "service": cardiologie if roles is None else None,
                     "date_revision": timezone.localdate() + timedelta(days=jours)},
            par=qualiticien, fichier=fichier, nom=f"{titre[:60]}.pdf", controle=controler(fichier))
        version = document.versions.get()
        chemin = [("verification", qualiticien), ("approbation", cadre), ("approuvee", direction),
                  ("diffusee", admin)]
        for vers, par in chemin:
            cibles = ({"services": [cardiologie] if cardiologie else [], "roles": ["cadre_pole"]} if roles is None
                      else {"services": [], "roles": roles})
            version = services.version_transition(version=version, vers=vers, par=par,
                                                  cibles=cibles if vers == "diffusee" else None)
            if vers == statut:
                break
