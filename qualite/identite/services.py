"""Writes of the identity app: the group mapping applied at login, API tokens."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from qualite.identite.models import CompteExterne, CorrespondanceGroupe, JetonAPI, Source
from qualite.organisation.models import Utilisateur
from qualite.organisation.roles import Role


def _normaliser(groupe: str) -> str:
    return groupe.strip().lower()


@transaction.atomic
def compte_externe_synchroniser(*, utilisateur, source: str, identifiant: str, groupes: list[str]) -> list[str]:
    """Replace an external user's roles, établissements and pôle with what their groups map to (the union
    over the active mappings matching them). Called at each login: a group left in the directory takes its
    roles away at the next login. Returns the matched groups."""
    cles = sorted({_normaliser(g) for g in groupes if g and g.strip()})
    correspondances = list(
        CorrespondanceGroupe.objects.annotate(cle=Lower("groupe"))
        .filter(source=source, actif=True, cle__in=cles)
        .select_related("pole").prefetch_related("etablissements")
    )
    roles = sorted({r for c in correspondances for r in c.roles if r in Role.values})
    etablissements = {e.pk for c in correspondances for e in c.etablissements.all()}
    poles = {c.pole_id for c in correspondances if c.pole_id}
    # Several pôles cannot be one user's pôle: none then (a pôle role then sees nothing rather than too much).
    # No mapping names one: the pôle and unit an administrator set in the application stay (a psychiatrist's unit).
    pole_id = poles.pop() if len(poles) == 1 else (utilisateur.pole_id if not poles else None)
    etablissements |= {c.pole.etablissement_id for c in correspondances if c.pole_id and c.pole_id == pole_id}

    utilisateur.roles = roles
    utilisateur.perimetre_ght = any(c.perimetre_ght for c in correspondances)
    if utilisateur.pole_id != pole_id:
        utilisateur.pole_id = pole_id
        utilisateur.service = None  # a unit belongs to a pôle: kept only while the pôle is
    # The Django admin is the administrators' screen (organisation.administrer).
    utilisateur.is_staff = utilisateur.is_superuser = Role.ADMINISTRATEUR in roles
    utilisateur.save()
    utilisateur.etablissements.set(etablissements)
    if hasattr(utilisateur, "_etablissements_visibles"):
        del utilisateur._etablissements_visibles
    CompteExterne.objects.update_or_create(
        utilisateur=utilisateur,
        defaults={"source": source, "identifiant": identifiant, "groupes": sorted(groupes),
                  "synchronise_le": timezone.now()})
    return [c.groupe for c in correspondances]


class ConnexionRefusee(Exception):
    """An identity the provider vouches for but the application refuses; the message is shown to the person."""


def identifiant_oidc(*, emetteur: str, sujet: str) -> str:
    """A provider's `sub` is stable and unique for that provider only: the issuer is kept with it."""
    return f"{emetteur}|{sujet}"


def _groupes_des_claims(valeur) -> list[str]:
    if isinstance(valeur, str):
        return [valeur]
    if isinstance(valeur, (list, tuple)):
        return [str(v) for v in valeur if isinstance(v, (str, int))]
    return []


@transaction.atomic
def compte_oidc_connecter(*, claims: dict, emetteur: str, reglages) -> Utilisateur:
    """The user an OpenID Connect identity logs in as: found by issuer + `sub`, created at the first login,
    with name and e-mail refreshed and roles re-computed from the groups claim through the mapping table.
    A local (or directory) account of the same name is never taken over; a user deactivated in the application
    is refused."""
    sujet = str(claims.get("sub") or "").strip()
    if not sujet:
        raise ConnexionRefusee("Le fournisseur d'identité n'a pas transmis d'identifiant (« sub »).")
    identifiant = identifiant_oidc(emetteur=emetteur, sujet=sujet)
    compte = (CompteExterne.objects.select_for_update().select_related("utilisateur")
              .filter(source=Source.OIDC, identifiant=identifiant).first())
    if compte is not None:
        utilisateur = compte.utilisateur
        if not utilisateur.is_active:
            raise ConnexionRefusee("Ce compte est désactivé dans l'application : adressez-vous à un administrateur.")
    else:
        nom = str(claims.get(reglages.OIDC_CLAIM_IDENTIFIANT) or sujet).strip()[:150]
        if Utilisateur.objects.filter(username__iexact=nom).exists():
            raise ConnexionRefusee(
                f"Le nom « {nom} » est déjà celui d'un compte de l'application, qui n'est pas repris par "
                "OpenID Connect : adressez-vous à un administrateur.")
        utilisateur = Utilisateur(username=nom)
        utilisateur.set_unusable_password()
    for champ, reglage in (("first_name", "OIDC_CLAIM_PRENOM"), ("last_name", "OIDC_CLAIM_NOM"),
                           ("email", "OIDC_CLAIM_EMAIL")):
        valeur = claims.get(getattr(reglages, reglage))
        if isinstance(valeur, str):
            setattr(utilisateur, champ, valeur.strip()[:Utilisateur._meta.get_field(champ).max_length])
    utilisateur.save()
    compte_externe_synchroniser(utilisateur=utilisateur, source=Source.OIDC, identifiant=identifiant,
                                groupes=_groupes_des_claims(claims.get(reglages.OIDC_CLAIM_GROUPES)))
    return utilisateur


@transaction.atomic
def jeton_creer(*, utilisateur, nom: str) -> tuple[JetonAPI, str]:
    """A new token and its clear value, to show once."""
    clair = JetonAPI.generer()
    jeton = JetonAPI.objects.create(utilisateur=utilisateur, nom=nom.strip(), prefixe=clair[:8],
                                    empreinte=JetonAPI.empreinte_de(clair))
    return jeton, clair


@transaction.atomic
def jeton_revoquer(*, jeton: JetonAPI) -> JetonAPI:
    jeton = JetonAPI.objects.select_for_update().get(pk=jeton.pk)
    if jeton.revoque_le is None:
        jeton.revoque_le = timezone.now()
        jeton.save(update_fields=["revoque_le"])
    return jeton


@transaction.atomic
def correspondance_enregistrer(*, par, donnees: dict, correspondance: CorrespondanceGroupe | None = None,
                               revision: int | None = None) -> CorrespondanceGroupe:
    """Create a mapping, or edit the fields the form changed (a stale form is refused)."""
    from qualite.outils.revisions import appliquer, verrouiller

    etablissements = donnees.pop("etablissements", None)
    if correspondance is None:
        correspondance = CorrespondanceGroupe(created_by=par)
    else:
        correspondance = verrouiller(CorrespondanceGroupe, correspondance.pk, revision, donnees)
    appliquer(correspondance, donnees, par)
    correspondance.full_clean()
    correspondance.save()
    if etablissements is not None:
        correspondance.etablissements.set(etablissements)
    return correspondance
