from datetime import timedelta

from django import forms

from qualite.echeances.delais import LEGAUX, Decompte
from qualite.echeances.models import RegleEcheance


class RegleForm(forms.Form):
    """A rule's delay, in the units of its count: only the parts the rule has are offered."""

    avant = forms.CharField(widget=forms.HiddenInput)
    heures = forms.DecimalField(label="Délai (heures écoulées)", min_value=0.5, max_value=24 * 366, decimal_places=2,
                                required=False)
    jours = forms.IntegerField(label="Délai (jours)", min_value=-366, max_value=366, required=False,
                               help_text="Négatif : avant l'échéance en mois (ex. −15 : quinze jours avant).")
    mois = forms.IntegerField(label="Délai (mois)", min_value=-60, max_value=120, required=False,
                              help_text="Négatif : avant la date de départ.")
    paliers = forms.CharField(label="Périodes successives (mois)", required=False,
                              help_text="Séparées par des virgules, la dernière se répète (ex. 1, 3, 6).")
    a_verifier = forms.BooleanField(label="À vérifier (non confirmée sur le texte en vigueur)", required=False)
    motif = forms.CharField(label="Motif de la modification", max_length=255,
                            help_text="Texte, décision de la direction… : gardé dans l'historique de la règle.")

    def __init__(self, *args, regle: RegleEcheance, **kwargs):
        self.regle = regle
        legal = LEGAUX.get(regle.code)
        effectif = regle.delai, regle.delai_mois, regle.paliers_mois
        initial = {"avant": regle.delai_texte, "a_verifier": regle.a_verifier}
        duree = effectif[0] if effectif[0] is not None else (legal.duree if legal else None)
        if duree is not None:
            if regle.decompte == Decompte.HEURES:
                initial["heures"] = duree.total_seconds() / 3600
            else:
                initial["jours"] = duree.days
        initial["mois"] = effectif[1] if effectif[1] is not None else (legal.mois if legal else None)
        paliers = effectif[2] or (list(legal.paliers) if legal else [])
        initial["paliers"] = ", ".join(map(str, paliers))
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        # Offer the parts this rule uses, by its count and its law's value.
        garder = {"avant", "a_verifier", "motif"}
        if regle.decompte == Decompte.HEURES:
            garder.add("heures")
        elif regle.decompte in (Decompte.JOURS, Decompte.JOURS_FRANCS):
            garder.add("jours")
        elif regle.decompte == Decompte.MOIS:
            garder |= {"paliers"} if paliers else {"mois"}
            if duree is not None:
                garder.add("jours")
        for nom in list(self.fields):
            if nom not in garder:
                del self.fields[nom]
        for nom in ("heures", "mois", "jours"):
            if nom in self.fields:
                self.fields[nom].required = nom != "jours" or regle.decompte != Decompte.MOIS
        if "jours" in self.fields and regle.decompte != Decompte.MOIS:
            self.fields["jours"].help_text = ""
        if "heures" in self.fields:
            self.fields["heures"].help_text = "Heures réellement écoulées, à travers les changements d'heure."

    def clean_jours(self):
        jours = self.cleaned_data.get("jours")
        if jours is not None and self.regle.decompte in (Decompte.JOURS, Decompte.JOURS_FRANCS) and jours < 1:
            raise forms.ValidationError("Un délai en jours compte au moins un jour.")
        return jours

    def clean_mois(self):
        mois = self.cleaned_data.get("mois")
        if mois == 0:
            raise forms.ValidationError("Un délai en mois ne peut valoir zéro.")
        return mois

    def clean_paliers(self):
        texte = self.cleaned_data.get("paliers", "")
        if "paliers" not in self.fields:
            return []
        try:
            paliers = [int(x) for x in texte.replace(";", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError("Indiquez des nombres de mois entiers séparés par des virgules (ex. 1, 3, 6).") from None
        if not paliers or any(p < 1 or p > 120 for p in paliers):
            raise forms.ValidationError("Chaque période compte de 1 à 120 mois.")
        return paliers

    def valeurs(self) -> dict:
        """The rule's fields as the service writes them."""
        d = self.cleaned_data
        delai = None
        if d.get("heures") is not None:
            delai = timedelta(hours=float(d["heures"]))
        elif d.get("jours") is not None:
            delai = timedelta(days=d["jours"])
        return {"avant": d["avant"], "delai": delai, "delai_mois": d.get("mois"), "paliers_mois": d.get("paliers") or [],
                "a_verifier": d["a_verifier"], "motif": d["motif"]}
