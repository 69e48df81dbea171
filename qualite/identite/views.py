import requests
from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc.errors import JoseError

from qualite.identite import oidc, services
from qualite.identite.forms import CorrespondanceForm, JetonForm
from qualite.identite.models import CompteExterne, CorrespondanceGroupe, JetonAPI
from qualite.organisation import access, audit
from qualite.outils.formulaires import erreurs_vers_formulaire


@login_required
@require_GET
def correspondances(request):
    access.exiger(request.user, "organisation.administrer")
    liste = CorrespondanceGroupe.objects.select_related("pole").prefetch_related("etablissements")
    return render(request, "qualite/identite/correspondances.html", {
        "correspondances": liste, "comptes_externes": CompteExterne.objects.count()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correspondance_modifier(request, pk=None):
    access.exiger(request.user, "organisation.administrer")
    instance = access.objet_ou_404(CorrespondanceGroupe.objects.all(), pk=pk) if pk else None
    form = CorrespondanceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        donnees = form.a_ecrire()
        try:
            services.correspondance_enregistrer(par=request.user, donnees=donnees, correspondance=instance,
                                                revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            messages.success(request, "Correspondance enregistrée : elle s'applique à la prochaine connexion.")
            return redirect("qualite:correspondances")
    return render(request, "qualite/identite/correspondance.html", {"form": form, "correspondance": instance})


@login_required
@require_GET
def jeton_api(request):
    access.exiger(request.user, "api.utiliser")
    return render(request, "qualite/identite/jetons.html", {
        "jetons": JetonAPI.objects.filter(utilisateur=request.user), "form": JetonForm()})


@login_required
@require_POST
def jeton_api_creer(request):
    """Answers with the token itself, not a redirect: it is shown this once and never stored."""
    access.exiger(request.user, "api.utiliser")
    form = JetonForm(request.POST)
    if not form.is_valid():
        return render(request, "qualite/identite/jetons.html", {
            "jetons": JetonAPI.objects.filter(utilisateur=request.user), "form": form})
    jeton, clair = services.jeton_creer(utilisateur=request.user, nom=form.cleaned_data["nom"])
    return render(request, "qualite/identite/jeton_cree.html", {"jeton": jeton, "clair": clair})


@login_required
@require_POST
def jeton_api_revoquer(request, pk):
    access.exiger(request.user, "api.utiliser")
    jeton = access.objet_ou_404(JetonAPI.objects.filter(utilisateur=request.user), pk=pk)
    services.jeton_revoquer(jeton=jeton)
    messages.success(request, f"Le jeton « {jeton.nom} » est révoqué : il ne fonctionne plus.")
    return redirect("qualite:jeton_api")


# OpenID Connect login: /connexion/oidc/ sends to the provider, /connexion/oidc/retour/ receives the code.

CLE_SUIVANTE = "oidc_suivante"
CLE_ID_TOKEN = "oidc_id_token"


@require_GET
def oidc_connexion(request):
    if not oidc.active():
        raise Http404
    suivante = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(suivante, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        request.session[CLE_SUIVANTE] = suivante
    try:
        return oidc.client().authorize_redirect(request, request.build_absolute_uri(reverse("oidc_retour")),
                                                **oidc.parametres_autorisation())
    except (OAuthError, requests.RequestException, ValueError):
        messages.error(request, f"{oidc.libelle()} ne répond pas : réessayez plus tard.")
        return redirect("login")


@require_GET
def oidc_retour(request):
    if not oidc.active():
        raise Http404
    oauth = oidc.client()
    try:
        jeton = oauth.authorize_access_token(request)
        claims = dict(jeton.get("userinfo") or {})
        if not claims:
            raise OAuthError(description="id_token absent")
        claims = oidc.completer_par_userinfo(oauth, jeton, claims)
        utilisateur = services.compte_oidc_connecter(
            claims=claims, emetteur=oauth.load_server_metadata().get("issuer", ""), reglages=settings)
    except IntegrityError:  # the same person's first login twice at once: the other one created the account
        messages.error(request, "Connexion interrompue par une autre connexion simultanée : recommencez.")
        return redirect("login")
    except services.ConnexionRefusee as exc:
        audit.tracer(request, audit.Action.ECHEC_CONNEXION, identifiant="OpenID Connect", details={"motif": str(exc)})
        messages.error(request, str(exc))
        return redirect("login")
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        audit.tracer(request, audit.Action.ECHEC_CONNEXION, identifiant="OpenID Connect", details={"erreur": str(exc)[:300]})
        messages.error(request, f"La connexion avec {oidc.libelle()} a échoué (réponse invalide ou expirée) : "
                                "recommencez depuis la page de connexion.")
        return redirect("login")
    suivante = request.session.pop(CLE_SUIVANTE, "")
    login(request, utilisateur, backend="qualite.identite.oidc.BackendOIDC")
    # Kept for the RP-initiated logout (id_token_hint).
    request.session[CLE_ID_TOKEN] = jeton.get("id_token", "")
    audit.tracer(request, audit.Action.CONNEXION, utilisateur=utilisateur, details={"source": "OpenID Connect"})
    return redirect(suivante or settings.LOGIN_REDIRECT_URL)


def oidc_fin_de_session(request) -> str | None:
    """Where to send a user logging out: the provider's end_session_endpoint for an OpenID Connect session
    (read before the local logout empties the session), else None."""
    id_token = request.session.get(CLE_ID_TOKEN)
    if not id_token or not oidc.active():
        return None
    try:
        return oidc.url_fin_de_session(id_token=id_token, retour=request.build_absolute_uri(reverse("login")))
    except (OAuthError, requests.RequestException, ValueError):
        return None
