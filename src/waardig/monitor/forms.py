"""Forms of the monitor's pages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from waardig.core.numbers import digits
from waardig.monitor.models import ForecastMethod, Indicator
from waardig.monitor.periods import FIRST_YEAR, LAST_YEAR


class ForecastForm(forms.Form):
    indicator = forms.ModelChoiceField(
        Indicator.objects.filter(aggregation="sum"),
        label=_("Indicator"),
        to_field_name="code",
        help_text=_("Alleen aantallen: een verhouding volgt uit de prognoses van haar delen."),
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=120,
        help_text=_("Een prognose met dezelfde naam wordt vervangen."),
    )
    method = forms.ChoiceField(label=_("Methode"), choices=ForecastMethod.choices)
    base_years = forms.CharField(
        label=_("Basisjaren"),
        help_text=_(
            "Bijvoorbeeld 2017, 2022. Bij een scenario: het jaar waarvan de verdeling over "
            "gemeenten wordt genomen."
        ),
    )
    target_year = forms.IntegerField(
        label=_("Doeljaar"), min_value=FIRST_YEAR, max_value=LAST_YEAR, initial=2030
    )
    low = forms.DecimalField(
        label=_("Ondergrens in het doeljaar"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=4,
        help_text=_("Alleen bij een scenario, bijvoorbeeld 96000."),
    )
    high = forms.DecimalField(
        label=_("Bovengrens in het doeljaar"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=4,
        help_text=_("Alleen bij een scenario, bijvoorbeeld 112000."),
    )

    def clean_base_years(self) -> list[int]:
        text = self.cleaned_data["base_years"]
        parts = [p for p in re.split(r"[\s,;]+", text) if p]
        if not parts or not all(digits(p) and len(p) == 4 for p in parts):
            raise forms.ValidationError(_("Schrijf jaren als 2017, 2022."))
        return sorted({int(p) for p in parts})
