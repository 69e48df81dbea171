"""Reads of the document system: the list, who must read a diffused version and who has, the « À lire »
list of a user, the full-text search."""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.html import escape
from django.utils.safestring import mark_safe

from qualite.documents.access import documents_scope, versions_scope
from qualite.documents.filters import DocumentFilter
from qualite.documents.models import CONFIG_RECHERCHE, AccuseLecture, Document, VersionDocument
from qualite.echeances.moteur import annoter_prochaine_echeance
from qualite.organisation.models import Utilisateur

Statut = VersionDocument.Statut


def documents_liste(user, params=None) -> DocumentFilter:
    qs = documents_scope(Document.objects.select_related("etablissement", "service", "proprietaire"), user)
    qs = qs.annotate(derniere_version=Subquery(
        VersionDocument.objects.filter(document=OuterRef("pk")).order_by("-numero").values("numero")[:1]))
    return DocumentFilter(params or None, queryset=annoter_prochaine_echeance(qs).order_by("titre", "id"), user=user)


def versions_de(document: Document, user) -> QuerySet:
    return versions_scope(document.versions.select_related("created_by", "verifiee_par", "approuvee_par",
                                                           "diffusee_par").prefetch_related("etapes__par"),
                          user).order_by("-numero")


def _cible(version) -> Q:
    """The diffusion rule, written once, as a condition on a user: active, in the document's établissement,
    and targeted by service, by pôle (directly or through their service) or by role. `version` is a version's
    pk or OuterRef("pk"): the same condition answers « who must read this version » and « what must this
    user read ». Computed, not copied: a newcomer to a targeted service must read the document too."""
    services = VersionDocument.cibles_services.through.objects.filter(versiondocument_id=version)
    poles = VersionDocument.cibles_poles.through.objects.filter(versiondocument_id=version).values("pole_id")
    la_version = VersionDocument.objects.filter(pk=version)
    return Q(is_active=True, etablissements=Subquery(la_version.values("document__etablissement_id")[:1])) & (
        Q(service_id__in=services.values("service_id")) | Q(pole_id__in=poles) | Q(service__pole_id__in=poles)
        | Q(roles__overlap=Subquery(la_version.values("cibles_roles")[:1])))


def destinataires(version: VersionDocument) -> QuerySet:
    """Every user the diffusion of `version` targets (_cible)."""
    return Utilisateur.objects.filter(pk__in=Utilisateur.objects.filter(_cible(version.pk)).values("pk"))


def suivi_diffusion(version: VersionDocument) -> tuple[QuerySet, dict]:
    """The targeted users with their acknowledgement time (None: not yet), and the counts, in SQL."""
    lu = AccuseLecture.objects.filter(version=version, utilisateur=OuterRef("pk")).values("lu_le")[:1]
    qs = (destinataires(version).select_related("service").annotate(lu_le=Subquery(lu))
          .order_by("last_name", "first_name", "username"))
    comptes = destinataires(version).aggregate(
        total=Count("pk"), lus=Count("pk", filter=Exists(AccuseLecture.objects.filter(
            version=version, utilisateur=OuterRef("pk")))))
    comptes["taux"] = round(100 * comptes["lus"] / comptes["total"]) if comptes["total"] else 0
    return qs, comptes


def a_lire(user) -> QuerySet:
    """The diffused versions targeting `user` (_cible) that they have not acknowledged yet."""
    if not user.is_authenticated or not user.is_active:
        return VersionDocument.objects.none()
    return (VersionDocument.objects.filter(statut=Statut.DIFFUSEE)
            .filter(Exists(Utilisateur.objects.filter(_cible(OuterRef(OuterRef("pk"))), pk=user.pk)))
            .exclude(Exists(AccuseLecture.objects.filter(version=OuterRef("pk"), utilisateur=user)))
            .select_related("document__etablissement", "diffusee_par").order_by("-diffusee_le", "-id"))


# Markers no text contains: the snippet is escaped, then the markers become <mark>.
_DEBUT, _FIN = "\x02", "\x03"


def _surligner(texte: str | None) -> str:
    return mark_safe(escape(texte or "").replace(_DEBUT, "<mark>").replace(_FIN, "</mark>"))  # noqa: S308


def rechercher(user, texte: str, *, limite: int = 50) -> list[VersionDocument]:
    """Versions whose title or text match, best first, with a highlighted snippet. French stemming,
    accents ignored (« securite » finds « sécurité »); archived versions are left out."""
    texte = (texte or "").strip()[:200]
    if not texte:
        return []
    requete = SearchQuery(texte, config=CONFIG_RECHERCHE, search_type="websearch")
    options = {"config": CONFIG_RECHERCHE, "start_sel": _DEBUT, "stop_sel": _FIN}
    qs = (versions_scope(VersionDocument.objects.exclude(statut=Statut.ARCHIVEE), user)
          .filter(vecteur=requete)
          .select_related("document__etablissement")
          .annotate(rang=SearchRank("vecteur", requete),
                    extrait_brut=SearchHeadline("texte", requete, max_fragments=2, min_words=8, max_words=25,
                                                **options),
                    titre_brut=SearchHeadline("document__titre", requete, highlight_all=True, **options))
          .order_by("-rang", "-numero")[:limite])
    resultats = list(qs)
    for v in resultats:
        v.extrait = _surligner(v.extrait_brut)
        v.titre_surligne = _surligner(v.titre_brut)
    return resultats
