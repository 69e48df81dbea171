"""The one paginator of the registers' list pages.

Fetching a page's 50 rows is cheap; counting every row of the user's scope on each request is
not (it reads the whole table). The count is kept in the cache under a key naming the exact
query (scope and filters) and the register's version (qualite/outils/registres.py), so it is
computed again only when the register changes or after registres.DUREE seconds."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from qualite.outils import registres


class PaginateurRegistre(Paginator):
    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not hasattr(qs, "query") or not registres.suivi(qs.model):
            return super().count
        compte = qs.order_by()
        return registres.en_cache(registres.cle_requete("compte", compte), compte.count)


def paginer(request, qs, par_page: int = 50):
    """The page asked by ?page= (the last one when past the end, the first when not a number)."""
    return PaginateurRegistre(qs, par_page).get_page(request.GET.get("page"))
