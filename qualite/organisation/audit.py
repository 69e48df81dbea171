"""The audit trail: one helper, called explicitly by the views that read or
write nominative data, export, or authenticate."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from qualite.organisation.models import AuditEntry
from qualite.outils import cache_pages

Action = AuditEntry.Action


def adresse_ip(request) -> str | None:
    """Client address; behind PROXY_COUNT reverse proxies, from X-Forwarded-For."""
    if request is None:
        return None
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= proxies:
            return _ip_valide(parts[-proxies])
    return _ip_valide(request.META.get("REMOTE_ADDR"))


def _ip_valide(texte) -> str | None:
    """A forged X-Forwarded-For is not an address: the column (inet) would refuse it."""
    try:
        return str(ipaddress.ip_address(texte))
    except ValueError:
        return None


def _propre(valeur):
    """What the user typed, storable: PostgreSQL text and jsonb refuse NUL; long values are cut."""
    if isinstance(valeur, str):
        return valeur.replace("\x00", "\ufffd")[:1000]
    if isinstance(valeur, dict):
        return {_propre(k): _propre(v) for k, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [_propre(v) for v in valeur]
    return valeur


def tracer(
    request,
    action: str,
    objet=None,
    *,
    utilisateur=None,
    etablissement_id: int | None = None,
    details: dict | None = None,
    identifiant: str = "",
) -> AuditEntry:
    if utilisateur is None and request is not None and request.user.is_authenticated:
        utilisateur = request.user
    entree = AuditEntry(
        utilisateur=utilisateur,
        identifiant=_propre(identifiant)[:150] or (utilisateur.get_username() if utilisateur else ""),
        action=action,
        ip=adresse_ip(request),
        details=_propre(details or {}),
    )
    if objet is not None:
        entree.content_type = ContentType.objects.get_for_model(objet)
        entree.object_id = str(objet.pk)
        entree.objet = getattr(objet, "reference_audit", None) or f"{entree.content_type.name} n° {objet.pk}"
        if etablissement_id is None:
            etablissement_id = getattr(objet, "etablissement_id", None)
    entree.etablissement_id = etablissement_id
    entree.save()
    cache_pages.noter_audit({c: getattr(entree, c) for c in _REPRIS})
    return entree


# What a page kept by cache_pages writes again on each visit: the entry, with this visit's author, time and address.
_REPRIS = ("action", "details", "content_type_id", "object_id", "objet", "etablissement_id")


def retracer(request, valeurs: dict) -> AuditEntry:
    """The entry a kept page's rendering wrote, written again for this visit."""
    utilisateur = request.user
    return AuditEntry.objects.create(utilisateur=utilisateur, identifiant=utilisateur.get_username(),
                                     ip=adresse_ip(request), **valeurs)


def tracer_en_lot(request, action: str, objets, *, utilisateur, details: dict | None = None) -> int:
    """The same entries as tracer() for each object, written at once (a bulk import)."""
    from qualite.outils.copie import copier

    ip, details = adresse_ip(request), _propre(details or {})
    identifiant = utilisateur.get_username() if utilisateur else ""
    maintenant = timezone.now()
    types: dict = {}
    entrees = []
    for objet in objets:
        ct = types.get(type(objet)) or types.setdefault(type(objet), ContentType.objects.get_for_model(objet))
        entrees.append({
            "horodatage": maintenant, "utilisateur_id": getattr(utilisateur, "pk", None), "identifiant": identifiant,
            "action": action, "ip": ip, "details": details, "content_type_id": ct.pk, "object_id": str(objet.pk),
            "objet": getattr(objet, "reference_audit", None) or f"{ct.name} n° {objet.pk}",
            "etablissement_id": getattr(objet, "etablissement_id", None)})
    return copier(AuditEntry, entrees)


# ---- authors some readers must not learn ------------------------------------------------------------------
# An entry keeps its true author (accountability); pages that show entries or history ask here whom to mask.
# Domains fill the registry: the core does not import them.


@dataclass(frozen=True)
class AuteurMasque:
    """Records of a domain whose author a reader may not learn (a confidential declarant)."""

    modele: str  # label of the record's model, "evenements.EvenementIndesirable"
    champ: str  # the author's foreign key on it, "created_by"
    masques: Callable[..., QuerySet]  # reader -> the records whose author this reader must not learn
    libelle: str  # shown instead of the author


AUTEURS_MASQUES: dict[str, AuteurMasque] = {}


def enregistrer_auteur_masque(regle: AuteurMasque) -> None:
    AUTEURS_MASQUES[regle.modele] = regle


def masquer_auteurs(qs: QuerySet, lecteur) -> QuerySet:
    """Entries annotated with `auteur_masque`: the label to show instead of their author, or "".
    An entry is masked when it is about a masked record and was made by that record's author."""
    cas = []
    for regle in AUTEURS_MASQUES.values():
        masques = regle.masques(lecteur)
        if masques.query.is_empty():
            continue
        ct = ContentType.objects.get_for_model(apps.get_model(regle.modele))
        meme_auteur = masques.annotate(_cle=Cast("pk", CharField())).filter(
            _cle=OuterRef("object_id"), **{f"{regle.champ}_id": OuterRef("utilisateur_id")})
        cas.append(When(Q(content_type_id=ct.pk) & Exists(meme_auteur), then=Value(regle.libelle)))
    if not cas:
        return qs.annotate(auteur_masque=Value("", output_field=CharField()))
    return qs.annotate(auteur_masque=Case(*cas, default=Value(""), output_field=CharField()))


def sans_auteurs_masques(qs: QuerySet, *termes: str) -> QuerySet:
    """A search by author must not bring back masked entries: the match itself would name their author.
    Without terms, every masked entry goes (a search by address, say)."""
    if not termes:
        return qs.filter(auteur_masque="")
    for terme in termes:
        qs = qs.exclude(~Q(auteur_masque="") & Q(identifiant__icontains=terme))
    return qs
