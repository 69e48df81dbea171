from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.identite import services
from qualite.identite.forms import CorrespondanceForm, JetonForm
from qualite.identite.models import CompteExterne, CorrespondanceGroupe, JetonAPI
from qualite.organisation import access
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
