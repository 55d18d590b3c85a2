"""Forms of the norm pages: the day a list or check looks at, one norm's parameters, the
signal thresholds. They validate input; compliance.services writes (and checks access again).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardig.compliance import norms
from waardig.compliance.models import Norm, NormKind, Severity, SignalParameters
from waardig.compliance.services import SIGNAL_PARAMETERS
from waardig.core.forms import DateInput, StyledForm

REASON_HELP = _("Komt in de geschiedenis, met uw naam en het tijdstip.")


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reden van de wijziging"),
        max_length=300,
        error_messages={"required": _("Geef de reden van de wijziging.")},
        help_text=REASON_HELP,
    )


class ValidOnForm(StyledForm, forms.Form):
    """The filter of the list of norm sets: only the sets valid on one day."""

    valid_on = forms.DateField(label=_("Geldig op"), required=False, widget=DateInput())

    def day(self) -> datetime.date | None:
        """The chosen day; None when none (or no valid one) was given."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data["valid_on"]


class CheckDayForm(StyledForm, forms.Form):
    """The day a location is checked on: today or earlier (the norms of that day apply)."""

    on = forms.DateField(
        label=_("Peildatum"),
        widget=DateInput(),
        help_text=_("De normensets die op deze dag gelden; de bezetting zoals die toen was."),
        error_messages={"required": _("Kies een datum.")},
    )

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day


class NormForm(StyledForm, forms.Form):
    """The parameters of one norm that the province admin may change. A requirement (a
    separate contract, a valid certificate) has no limit to change; only a stay norm has a
    window."""

    limit = forms.DecimalField(
        label=_("Grens"), max_digits=8, decimal_places=2, min_value=Decimal(0),
        max_value=Decimal(100_000),
    )  # fmt: skip
    window_months = forms.IntegerField(
        label=_("Periode (maanden)"),
        min_value=1,
        max_value=120,
        help_text=_("De periode waarbinnen het verblijf wordt opgeteld."),
        error_messages={"required": _("Een verblijfsnorm heeft een periode nodig.")},
    )
    severity = forms.ChoiceField(label=_("Ernst"), choices=Severity.choices)
    reason = reason_field()

    def __init__(self, *args: Any, norm: Norm, **kwargs: Any):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "limit": f"{norm.limit.normalize():f}" if norm.limit is not None else None,
            "window_months": norm.window_months,
            "severity": norm.severity,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.definition = norms.DEFINITIONS[norm.kind]
        if self.definition.bound == norms.REQUIRED:
            del self.fields["limit"]
        else:
            unit = self.definition.unit
            self.fields["limit"].label = (
                _("Grens (%(unit)s)") % {"unit": unit} if unit else _("Grens")
            )
            self.fields["limit"].help_text = (
                _("Een maximum: meer is een bevinding.")
                if self.definition.bound == norms.MAX
                else _("Een minimum: minder is een bevinding.")
            )
        if norm.kind != NormKind.CONSECUTIVE_STAY:
            del self.fields["window_months"]

    def clean_limit(self) -> Decimal:
        limit = self.cleaned_data["limit"]
        if self.definition.bound == norms.MAX and limit == 0:
            raise forms.ValidationError(_("Een maximum van 0 laat niemand toe: kies meer dan 0."))
        return limit

    def values(self) -> dict[str, Any]:
        """The parameters for services.edit_norm (without the reason)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class SignalParametersForm(StyledForm, forms.ModelForm):
    """A new version of the signal thresholds: every value, and why."""

    class Meta:
        model = SignalParameters
        fields = [*SIGNAL_PARAMETERS, "reason"]
        error_messages = {"reason": {"required": _("Geef de reden van de wijziging.")}}
        labels = {"reason": _("Reden van de wijziging")}
        help_texts = {"reason": REASON_HELP}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        most, window = data.get("rni_max_months"), data.get("rni_window_months")
        if most is not None and window is not None and most > window:
            self.add_error(
                "rni_max_months",
                _("Het aantal maanden past niet in de periode van %(n)s maanden.") % {"n": window},
            )
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SIGNAL_PARAMETERS}
