"""{% documents_lies objet %}: the quality documents linked to a certification criterion (evidence) or a
PAQSS action (source), on that record's page, within what the reader may see of the documents."""

from django import template

from qualite.documents.access import documents_scope
from qualite.documents.models import Document
from qualite.organisation import access

register = template.Library()


@register.inclusion_tag("qualite/documents/_liens.html", takes_context=True)
def documents_lies(context, objet, titre="Documents qualité liés", balise="h2", classe="h5"):
    user = context["request"].user
    modele = objet._meta.label_lower
    if modele == "certification.critere":
        qs = Document.objects.filter(liens_criteres__critere=objet)
    elif modele == "paqss.actionamelioration":
        qs = Document.objects.filter(liens_actions__action=objet)
    else:
        raise ValueError(f"Pas de documents liés pour {modele}")
    visible = access.has_perm(user, "documents.voir")
    documents = list(documents_scope(qs, user).order_by("titre").distinct()) if visible else []
    return {"visible": visible, "documents": documents, "titre": titre, "balise": balise, "classe": classe,
            "cle": f"{objet._meta.model_name}-{objet.pk}"}
