from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from . import access, audit, selectors
from .filters import AuditFilter, EcheanceFilter
from .forms import ConnexionForm
from .models import RegleEcheance, Utilisateur
from .navigation import entrees_pour


class ConnexionView(auth_views.LoginView):
    form_class = ConnexionForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.tracer(self.request, audit.Action.CONNEXION, utilisateur=form.get_user())
        return response

    def form_invalid(self, form):
        audit.tracer(self.request, audit.Action.ECHEC_CONNEXION, identifiant=form.data.get("username", "")[:150])
        return super().form_invalid(form)


class DeconnexionView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit.tracer(request, audit.Action.DECONNEXION)
        return super().post(request, *args, **kwargs)


@login_required
@require_GET
def accueil(request):
    sections: dict[str, list] = {}
    for entree in entrees_pour(request.user):
        sections.setdefault(entree["section"], []).append(entree)
    compteurs = selectors.compteurs_echeances(request.user) if access.has_perm(request.user, "echeances.voir") else None
    return render(
        request,
        "qualite/accueil.html",
        {"sections": sections, "compteurs": compteurs, "roles": request.user.libelles_roles()},
    )


@login_required
@require_GET
def mes_echeances(request):
    access.exiger(request.user, "echeances.voir")
    qs = selectors.echeances_pour(request.user)
    filtre = EcheanceFilter(request.GET or None, queryset=qs, modules=selectors.modules_echeances())
    page = Paginator(filtre.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "qualite/mes_echeances.html",
        {
            "filtre": filtre,
            "page": page,
            "compteurs": selectors.compteurs_echeances(request.user),
            "ical_actif": request.user.jeton_ical_empreinte is not None,
        },
    )


@login_required
@require_POST
@never_cache
def ical_jeton(request):
    """Creating answers with the address itself, not a redirect: it is shown this once and never stored."""
    access.exiger(request.user, "echeances.voir")
    if request.POST.get("action") == "revoquer":
        Utilisateur.objects.filter(pk=request.user.pk).update(jeton_ical_empreinte=None)
        messages.success(request, "Le lien d'abonnement a été révoqué : l'ancien lien ne fonctionne plus.")
        return redirect("qualite:mes_echeances")
    remplace = request.user.jeton_ical_empreinte is not None
    jeton = request.user.nouveau_jeton_ical()
    return render(request, "qualite/ical_jeton.html", {
        "ical_url": request.build_absolute_uri(reverse("qualite:ical", args=[jeton])), "remplace": remplace,
    })


@require_GET
def ical(request, jeton):
    user = Utilisateur.objects.filter(jeton_ical_empreinte=Utilisateur.empreinte_jeton(jeton), is_active=True).first()
    if user is None:
        raise Http404
    depuis = timezone.now() - timedelta(days=90)
    echeances = selectors.echeances_pour(user).filter(echeance__gte=depuis)[:2000]
    cal = Calendar()
    cal.add("prodid", "-//Qualité et usagers//Échéances//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Mes échéances")
    base = settings.SITE_URL.rstrip("/")
    for ech in echeances:
        ev = Event()
        ev.add("uid", f"echeance-{ech.pk}@qualite")
        ev.add("dtstamp", ech.updated_at)
        ev.add("dtstart", ech.echeance)
        ev.add("dtend", ech.echeance + timedelta(minutes=15))
        ev.add("summary", f"{ech.regle.libelle} — {ech.reference}")
        ev.add(
            "description",
            f"Statut : {ech.Statut(ech.statut_calcule).label}\nBase légale : {ech.regle.base_legale or '—'}"
            f" ({ech.regle.statut_juridique})\nPoint de départ : {ech.debut_compte or '—'}",
        )
        if ech.url:
            ev.add("url", base + ech.url)
        cal.add_component(ev)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances.ics"'
    return response


@login_required
@require_GET
def regles(request):
    access.exiger(request.user, "echeances.regles")
    return render(request, "qualite/regles.html", {"regles": RegleEcheance.objects.all()})


@login_required
@require_GET
def journal_audit(request):
    access.exiger(request.user, "audit.consulter")
    filtre = AuditFilter(request.GET or None, queryset=audit.masquer_auteurs(selectors.journal_audit(), request.user))
    entrees = filtre.qs
    if filtre.is_bound:
        # Entries found by their author's name or address would name a masked author.
        criteres = filtre.form.cleaned_data
        if criteres.get("ip"):
            entrees = audit.sans_auteurs_masques(entrees)
        elif criteres.get("utilisateur"):
            entrees = audit.sans_auteurs_masques(entrees, criteres["utilisateur"])
    page = Paginator(entrees, 100).get_page(request.GET.get("page"))
    return render(request, "qualite/audit.html", {"filtre": filtre, "page": page})
