"""Writes of the document system: documents and versions, the workflow, diffusion, acknowledgements,
links. Each is atomic; a workflow move locks the version and checks the revision its page was loaded at,
so two people clicking at once cannot both move it."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Value
from django.urls import reverse
from django.utils import timezone

from qualite.documents import access as documents_access
from qualite.documents.extraction import extraire_texte
from qualite.documents.models import (
    CONFIG_RECHERCHE,
    AccuseLecture,
    Document,
    EtapeVersion,
    LienAction,
    LienCritere,
    VersionDocument,
    chemin_version,
)
from qualite.documents.referentiels import REGLE_REVISION
from qualite.echeances import moteur as echeances
from qualite.echeances.moteur import EcheancePrevue, fin_de_jour
from qualite.outils import registres
from qualite.outils.revisions import appliquer, verrouiller
from qualite.pieces.services import supprimer_fichier
from qualite.pieces.stockage import STOCKAGE
from qualite.pieces.verification import Controle

Statut = VersionDocument.Statut
EN_COURS = (Statut.REDACTION, Statut.VERIFICATION, Statut.APPROBATION, Statut.APPROUVEE)


# ---- review date deadline ---------------------------------------------------------------------------------

def synchroniser_echeance(document: Document) -> None:
    """One deadline per dated document, for its owner: a new review date moves it."""
    prevues = []
    if document.date_revision:
        prevues.append(EcheancePrevue(REGLE_REVISION, fin_de_jour(document.date_revision),
                                      debut_compte="date de révision fixée sur le document"))
    echeances.synchroniser(
        objet=document, prevues=prevues, reference=document.reference_audit,
        etablissement_id=document.etablissement_id, service_id=document.service_id,
        pole_id=document.service.pole_id if document.service_id else None,
        url=reverse("documents:detail", args=[document.pk]), responsable_id=document.proprietaire_id,
        motif_disparition="Le document n'a plus de date de révision.")


# ---- search index -----------------------------------------------------------------------------------------

def indexer(document: Document) -> None:
    """Rewrite the stored search vectors of a document's versions: title (weight A) and extracted text (B)."""
    VersionDocument.objects.filter(document=document).update(
        vecteur=SearchVector(Value(document.titre), weight="A", config=CONFIG_RECHERCHE)
        + SearchVector("texte", weight="B", config=CONFIG_RECHERCHE))
    registres.modifie(VersionDocument)  # update() sends no signal: cached search counts follow the new vectors


# ---- documents and versions -------------------------------------------------------------------------------

def _etape(version, de, vers, par, commentaire="", le=None):
    EtapeVersion.objects.create(version=version, de=de, vers=vers, par=par, commentaire=commentaire,
                                le=le or timezone.now())


def _statut_document(document: Document) -> None:
    derniere = document.versions.order_by("-numero").values_list("statut", flat=True).first()
    diffusee = document.versions.filter(statut=Statut.DIFFUSEE).exists()
    # The list shows a diffused document as such while its next version is being written.
    statut = Statut.DIFFUSEE if diffusee and derniere != Statut.DIFFUSEE and derniere in EN_COURS else derniere
    Document.objects.filter(pk=document.pk).update(statut=statut or Statut.REDACTION)
    registres.modifie(Document)  # update() sends no signal


def _deposer(*, document: Document, fichier, nom: str, controle: Controle, par, statut=Statut.REDACTION,
             commentaire: str = "") -> VersionDocument:
    """Store the (checked) file, then write the version row; if the row fails, the file goes (nothing
    half-saved). Runs inside the caller's transaction."""
    fichier.seek(0)
    contenu = fichier.read()
    fichier.seek(0)
    version = VersionDocument(document=document, nom=nom, taille=controle.taille, type_mime=controle.type_mime,
                              sha256=controle.sha256, created_by=par, statut=statut,
                              texte=extraire_texte(contenu, controle.type_mime))
    nom_stocke = STOCKAGE.save(chemin_version(version, nom), fichier)
    try:
        with transaction.atomic():
            Document.objects.select_for_update().get(pk=document.pk)  # numbers are given one at a time
            version.numero = (document.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
            version.fichier.name = nom_stocke
            version.save()
            _etape(version, "", statut, par, commentaire or "Dépôt du fichier")
            indexer(document)
            _statut_document(document)
    except BaseException:
        supprimer_fichier(nom_stocke)
        raise
    return version


@transaction.atomic
def document_creer(*, donnees: dict, par, fichier, nom: str, controle: Controle) -> Document:
    document = Document(created_by=par, **donnees)
    document.full_clean()
    document.save()
    _deposer(document=document, fichier=fichier, nom=nom, controle=controle, par=par)
    synchroniser_echeance(document)
    return document


CHAMPS_MODIFIABLES = frozenset({"titre", "type", "service", "proprietaire", "date_revision"})


@transaction.atomic
def document_modifier(*, document: Document, par, donnees: dict, revision: int | None = None) -> Document:
    inconnus = set(donnees) - CHAMPS_MODIFIABLES
    if inconnus:
        raise ValueError(f"Champ(s) non modifiable(s) : {', '.join(sorted(inconnus))}")
    document = verrouiller(Document, document.pk, revision, donnees)
    appliquer(document, donnees, par)
    document.full_clean()
    document.save()
    if "titre" in donnees:
        indexer(document)
    synchroniser_echeance(document)
    return document


@transaction.atomic
def version_deposer(*, document: Document, par, fichier, nom: str, controle: Controle) -> VersionDocument:
    """A new version starts in rédaction; one version at a time goes through the workflow."""
    Document.objects.select_for_update().get(pk=document.pk)
    en_cours = document.versions.filter(statut__in=EN_COURS).first()
    if en_cours is not None:
        raise ValidationError({"fichier": f"La version {en_cours.numero} est encore « {en_cours.get_statut_display()} » : "
                                          "menez-la jusqu'à la diffusion avant d'en déposer une nouvelle."})
    return _deposer(document=document, fichier=fichier, nom=nom, controle=controle, par=par)


# ---- workflow ---------------------------------------------------------------------------------------------

def _permission_du_mouvement(version: VersionDocument, vers: str) -> str:
    if vers == Statut.REDACTION:  # sent back by whoever was to verify or approve it
        return "documents.verifier" if version.statut == Statut.VERIFICATION else "documents.approuver"
    return documents_access.PERMISSION_TRANSITION[vers]


def refus_du_mouvement(version: VersionDocument, vers: str, user) -> str | None:
    """Why `user` may not move `version` to `vers` now (a French sentence), or None."""
    if not version.transition_permise(vers):
        libelle = Statut(vers).label if vers in Statut.values else vers
        return f"Passage impossible de « {version.get_statut_display()} » à « {libelle} »."
    if not documents_access.dans_perimetre(user, _permission_du_mouvement(version, vers),
                                           version.document.etablissement_id):
        return "Vous n'avez pas la permission de faire cette étape."
    if vers == Statut.APPROBATION and version.created_by_id == user.pk:
        return "La vérification doit être faite par une autre personne que le rédacteur de la version."
    if vers == Statut.APPROUVEE and version.created_by_id == user.pk:
        return "L'approbation doit être faite par une autre personne que le rédacteur de la version."
    return None


def mouvements_possibles(version: VersionDocument, user) -> list[tuple[str, str]]:
    """The next legal moves this user may make, as (target status, button label)."""
    libelles = {Statut.VERIFICATION: "Soumettre à la vérification", Statut.APPROBATION: "Vérifier",
                Statut.APPROUVEE: "Approuver", Statut.DIFFUSEE: "Diffuser", Statut.ARCHIVEE: "Archiver",
                Statut.REDACTION: "Renvoyer en rédaction"}
    return [(vers, libelles[vers]) for vers in version.TRANSITIONS.get(version.statut, ())
            if refus_du_mouvement(version, vers, user) is None]


@transaction.atomic
def version_transition(*, version: VersionDocument, vers: str, par, commentaire: str = "",
                       revision: int | None = None, cibles: dict | None = None) -> VersionDocument:
    """Move a version one step. `cibles` (services, poles, roles) is required to diffuse."""
    version = verrouiller(VersionDocument, version.pk, revision, {})
    version = VersionDocument.objects.select_related("document").get(pk=version.pk)
    refus = refus_du_mouvement(version, vers, par)
    if refus:
        raise ValidationError(refus)
    commentaire = commentaire.strip()
    if vers == Statut.REDACTION and not commentaire:
        raise ValidationError({"commentaire": "Indiquez ce qui doit être repris."})
    maintenant = timezone.now()
    de = version.statut
    champs = {"statut": vers}
    if vers == Statut.APPROBATION:
        champs.update(verifiee_par=par, verifiee_le=maintenant)
    elif vers == Statut.APPROUVEE:
        champs.update(approuvee_par=par, approuvee_le=maintenant)
    elif vers == Statut.DIFFUSEE:
        cibles = cibles or {}
        if not (cibles.get("services") or cibles.get("poles") or cibles.get("roles")):
            raise ValidationError("Choisissez au moins un service, un pôle ou un rôle destinataire.")
        champs.update(diffusee_par=par, diffusee_le=maintenant, cibles_roles=list(cibles.get("roles") or []))
        for precedente in version.document.versions.select_for_update().filter(statut=Statut.DIFFUSEE):
            precedente.statut, precedente.archivee_le = Statut.ARCHIVEE, maintenant
            precedente.revision += 1
            precedente.modifie_par = par
            precedente.save(update_fields=["statut", "archivee_le", "revision", "modifie_par", "updated_at"])
            _etape(precedente, Statut.DIFFUSEE, Statut.ARCHIVEE, par,
                   f"Remplacée par la version {version.numero}", le=maintenant)
    elif vers == Statut.ARCHIVEE:
        champs.update(archivee_le=maintenant)
    elif vers == Statut.REDACTION:
        champs.update(verifiee_par=None, verifiee_le=None, approuvee_par=None, approuvee_le=None)
    appliquer(version, champs, par)
    version.save()
    if vers == Statut.DIFFUSEE:
        version.cibles_services.set(cibles.get("services") or [])
        version.cibles_poles.set(cibles.get("poles") or [])
    _etape(version, de, vers, par, commentaire, le=maintenant)
    _statut_document(version.document)
    return version


# ---- acknowledgements and links ---------------------------------------------------------------------------

@transaction.atomic
def accuse_enregistrer(*, version: VersionDocument, par) -> AccuseLecture:
    """Idempotent: a second click keeps the first acknowledgement's time."""
    from qualite.documents.selectors import destinataires

    if version.statut != Statut.DIFFUSEE or not destinataires(version).filter(pk=par.pk).exists():
        raise ValidationError("Ce document ne vous est pas diffusé : il n'y a pas de lecture à confirmer.")
    accuse, _ = AccuseLecture.objects.get_or_create(version=version, utilisateur=par)
    return accuse


@transaction.atomic
def lien_critere_ajouter(*, document: Document, critere, par) -> LienCritere:
    lien, _ = LienCritere.objects.get_or_create(document=document, critere=critere, defaults={"created_by": par})
    return lien


@transaction.atomic
def lien_action_ajouter(*, document: Document, action, par) -> LienAction:
    if action.etablissement_id != document.etablissement_id:
        raise ValidationError({"action": "Cette action n'est pas du même établissement que le document."})
    lien, _ = LienAction.objects.get_or_create(document=document, action=action, defaults={"created_by": par})
    return lien


@transaction.atomic
def document_importer(*, donnees: dict, par, fichier, nom: str, controle: Controle, numero: int | None = None,
                      commentaire: str = "Import de la base documentaire") -> Document:
    """An existing, already approved document: its version arrives « approuvée, à diffuser » so that a
    diffuser chooses who must read it."""
    document = Document(created_by=par, **donnees)
    document.full_clean()
    document.save()
    version = _deposer(document=document, fichier=fichier, nom=nom, controle=controle, par=par,
                       statut=Statut.APPROUVEE, commentaire=commentaire)
    if numero and numero != version.numero:
        VersionDocument.objects.filter(pk=version.pk).update(numero=numero)
    synchroniser_echeance(document)
    return document
