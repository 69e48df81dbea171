"""{% pieces_jointes objet %}: the « Pièces jointes » section of a record's page. The page has already
fetched the record through its access rule; the registry adds what it says about the record's files."""

from django import template

from qualite.pieces import registre
from qualite.pieces.forms import PieceForm
from qualite.pieces.selectors import pieces_de
from qualite.pieces.verification import en_mo

register = template.Library()


@register.inclusion_tag("qualite/pieces/_section.html", takes_context=True)
def pieces_jointes(context, objet, titre="Pièces jointes", balise="h2", classe="h5"):
    user = context["request"].user
    rattachable = registre.pour_modele(type(objet))
    visible = rattachable is not None and rattachable.voir(user, objet)
    ecrire = visible and rattachable.ecrire(user, objet)
    return {
        "visible": visible, "objet": objet, "rattachable": rattachable, "ecrire": ecrire, "titre": titre,
        "balise": balise, "classe": classe, "pieces": pieces_de(objet) if visible else [], "piece_form": PieceForm() if ecrire else None,
        "voir_archives": False, "csrf_token": context.get("csrf_token"),
    }


@register.filter
def taille(octets):
    return en_mo(octets or 0)
