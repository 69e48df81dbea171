from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods

from qualite.echeances import selectors as selectors_echeances
from qualite.organisation import a_traiter, access, audit
from qualite.organisation import selectors as selectors_organisation
from qualite.organisation.filters import AuditFilter
from qualite.organisation.forms import ConnexionForm
from qualite.organisation.navigation import entrees_pour
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.pagination import paginer

# FormView answers PUT as if it were POST: a PUT on these forms is refused (405), not taken for a login.
METHODES_FORMULAIRE = ["get", "post", "head", "options"]


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")  # before the signed-in redirect
class ConnexionView(auth_views.LoginView):
    http_method_names = METHODES_FORMULAIRE
    form_class = ConnexionForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from qualite.identite import oidc

        return super().get_context_data(**kwargs) | {
            "oidc_active": oidc.active(), "oidc_libelle": oidc.libelle(),
            "connexion_locale": settings.CONNEXION_LOCALE}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.tracer(self.request, audit.Action.CONNEXION, utilisateur=form.get_user())
        return response

    def form_invalid(self, form):
        audit.tracer(self.request, audit.Action.ECHEC_CONNEXION, identifiant=form.data.get("username", "")[:150])
        return super().form_invalid(form)


class MotDePasseView(auth_views.PasswordChangeView):
    http_method_names = METHODES_FORMULAIRE


class DeconnexionView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        from qualite.identite.views import oidc_fin_de_session

        if request.user.is_authenticated:
            audit.tracer(request, audit.Action.DECONNEXION)
        # An OpenID Connect session also ends at the provider (RP-initiated logout) when it announces how.
        fin_chez_le_fournisseur = oidc_fin_de_session(request)
        reponse = super().post(request, *args, **kwargs)
        return redirect(fin_chez_le_fournisseur) if fin_chez_le_fournisseur else reponse


@login_required
@require_GET
@page_en_cache()
def accueil(request):
    sections: dict[str, list] = {}
    for entree in entrees_pour(request.user):
        sections.setdefault(entree["section"], []).append(entree)
    compteurs = selectors_echeances.compteurs_echeances(request.user) if access.has_perm(request.user, "echeances.voir") else None
    a_lire = None
    if access.has_perm(request.user, "documents.voir"):
        from qualite.documents.selectors import a_lire as documents_a_lire

        a_lire = documents_a_lire(request.user).count()
    lignes, sources = a_traiter.boite(request.user)
    request.a_traiter_total = sum(s["nombre"] for s in sources)  # the menu's count, without a second query
    return render(
        request,
        "qualite/organisation/accueil.html",
        {"sections": sections, "compteurs": compteurs, "roles": request.user.libelles_roles(), "a_lire": a_lire,
         "lignes": lignes, "sources_a_traiter": sources, "total_a_traiter": request.a_traiter_total},
    )


@login_required
@require_GET
def journal_audit(request):
    access.exiger(request.user, "audit.consulter")
    filtre = AuditFilter(request.GET or None, queryset=audit.masquer_auteurs(selectors_organisation.journal_audit(), request.user))
    entrees = filtre.qs
    if filtre.is_bound:
        # Entries found by their author's name or address would name a masked author.
        criteres = filtre.form.cleaned_data
        if criteres.get("ip"):
            entrees = audit.sans_auteurs_masques(entrees)
        elif criteres.get("utilisateur"):
            entrees = audit.sans_auteurs_masques(entrees, criteres["utilisateur"])
    page = paginer(request, entrees, 100)
    return render(request, "qualite/organisation/audit.html", {"filtre": filtre, "page": page})
