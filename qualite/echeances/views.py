from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from qualite.echeances import selectors, services
from qualite.echeances.filters import EcheanceFilter
from qualite.echeances.forms import RegleForm
from qualite.echeances.models import RegleEcheance
from qualite.organisation import access, audit
from qualite.organisation.models import Utilisateur
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer


@login_required
@require_GET
@page_en_cache()
def mes_echeances(request):
    access.exiger(request.user, "echeances.voir")
    qs = selectors.echeances_pour(request.user)
    # Always bound: the page opens on the open deadlines (the partial index), never on all of them.
    filtre = EcheanceFilter(request.GET, queryset=qs, modules=selectors.modules_echeances())
    page = paginer(request, filtre.qs, 50)
    return render(
        request,
        "qualite/echeances/mes_echeances.html",
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
    return render(request, "qualite/echeances/ical_jeton.html", {
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
    return render(request, "qualite/echeances/regles.html", {
        "regles": RegleEcheance.objects.select_related("modifiee_par"),
        "modifier": access.has_perm(request.user, "echeances.regles_modifier"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def regle_modifier(request, code):
    """An administrator sets a rule's delay; the records with its deadlines are recomputed in the background."""
    access.exiger(request.user, "echeances.regles_modifier")
    regle = access.objet_ou_404(RegleEcheance.objects.all(), code=code)
    form = RegleForm(request.POST or None, regle=regle)
    if request.method == "POST" and form.is_valid():
        try:
            regle = services.regle_modifier(regle_id=regle.pk, par=request.user, **form.valeurs())
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, regle,
                         details={"regle": regle.code, "avant": form.cleaned_data["avant"], "apres": regle.delai_texte,
                                  "motif": regle.motif_modification})
            messages.success(request, f"Délai de « {regle.libelle} » : {regle.delai_texte}. Les échéances concernées "
                                      "sont recalculées en arrière-plan.")
            return redirect("qualite:regles")
    return render(request, "qualite/echeances/regle_modifier.html", {"regle": regle, "form": form},
                  status=400 if form.is_bound else 200)
