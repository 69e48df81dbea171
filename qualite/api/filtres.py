from django_filters.rest_framework import DjangoFilterBackend


class FiltresDesPages(DjangoFilterBackend):
    """The pages' own FilterSets (they take the user, to offer only the établissements, pôles and services
    in reach): the API filters with the same names and the same checks as the lists."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs.update(view.filterset_kwargs(request) if hasattr(view, "filterset_kwargs") else {"user": request.user})
        return kwargs
