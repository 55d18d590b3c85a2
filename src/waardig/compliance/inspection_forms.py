"""The forms of the inspection pages: the planning's filter, an inspection with its result per
norm, and an enforcement step. Values go to compliance.services, which checks access and
validates again; these forms only offer what the user may choose."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardig.areas.models import Municipality
from waardig.compliance import norms, services
from waardig.compliance.engine import Evaluation
from waardig.compliance.models import (
    EnforcementKind,
    Inspection,
    InspectionOutcome,
    Norm,
)
from waardig.core.access import VIEW
from waardig.core.forms import DateInput, StyledForm
from waardig.organisations.models import Organisation

ALL = [("", _("Alle"))]
MET, NOT_MET, UNCHECKED = "met", "not_met", "unchecked"
RESULT_CHOICES = [
    (MET, _("voldoet")),
    (NOT_MET, _("voldoet niet")),
    (UNCHECKED, _("niet gecontroleerd")),
]
RESULTS = {MET: True, NOT_MET: False, UNCHECKED: None}
MULTIPLE_HELP = _("Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen.")


class PlanningFilterForm(StyledForm, forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = ALL + [
            (m.code, m.name) for m in Municipality.objects.open_to(actor, Inspection, VIEW)
        ]

    def chosen(self) -> str:
        """The chosen CBS code, or "" (all): an invalid choice is shown and ignored."""
        if not self.is_bound or not self.is_valid():
            return ""
        return self.cleaned_data["municipality"]


@dataclass(frozen=True)
class NormRow:
    """One norm on the inspection form, with what the register says about it."""

    norm: Norm
    evaluation: Evaluation

    @property
    def prefix(self) -> str:
        return f"norm_{self.norm.pk}"

    @property
    def register_text(self) -> str:
        """What the desk check on the register's facts finds, as a hint for the inspector."""
        e = self.evaluation
        if e.status == "unknown":
            return str(_("Volgens het register: onbekend (gegevens ontbreken)."))
        verdict = _("voldoet niet") if e.status == "violation" else _("voldoet")
        if e.value is None or norms.DEFINITIONS[e.kind].bound == norms.REQUIRED:
            return str(_("Volgens het register: %(verdict)s.") % {"verdict": verdict})
        return str(
            _("Volgens het register: %(value)s, %(verdict)s.")
            % {"value": with_unit(e.kind, e.value), "verdict": verdict}
        )

    @property
    def label(self) -> str:
        bound = norms.DEFINITIONS[self.norm.kind].bound
        limit = with_unit(self.norm.kind, self.norm.limit)
        if bound == norms.MAX:
            rule = _("max. %(limit)s") % {"limit": limit}
        elif bound == norms.MIN:
            rule = _("min. %(limit)s") % {"limit": limit}
        else:
            rule = _("verplicht")
        return f"{self.norm.get_kind_display()}: {rule} ({self.norm.norm_set.name})"


def with_unit(kind: str, value: Any) -> str:
    """A norm's number the Dutch way with its unit where the norm's name does not say it
    ("15 m²", "4 maanden"; persons per bedroom is just "2")."""
    unit = norms.DEFINITIONS[kind].unit
    text = norms.dutch(value)
    return f"{text} {unit}" if unit and unit != "personen" else text


def norm_rows(location: Any, on: datetime.date) -> list[NormRow]:
    """The norms that apply to the location on ``on``, with the desk check of its register
    facts (compliance.checks.check_location: the same engine as a scan)."""
    from waardig.compliance.checks import check_location

    evaluations = [e for e in check_location(location, on) if e.status != "n/a"]
    found = Norm.objects.select_related("norm_set").in_bulk([e.norm_id for e in evaluations])
    return [NormRow(found[e.norm_id], e) for e in evaluations if e.norm_id in found]


class InspectionForm(StyledForm, forms.Form):
    """An inspection and, per norm of ``rows``, voldoet / voldoet niet / niet gecontroleerd
    with the measured value and a note."""

    on = forms.DateField(label=_("Datum van de inspectie"), widget=DateInput())
    organisations = forms.ModelMultipleChoiceField(
        label=_("Deelnemende organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=MULTIPLE_HELP,
    )
    other_partners = forms.CharField(
        label=_("Andere partners"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld politie, brandweer, Arbeidsinspectie, woningcorporatie."),
    )
    persons_present = forms.IntegerField(
        label=_("Aangetroffen bewoners"), min_value=0, max_value=1_000_000, required=False
    )
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=InspectionOutcome.choices)
    next_inspection = forms.DateField(
        label=_("Volgende inspectie"),
        widget=DateInput(),
        required=False,
        help_text=_("Na de datum van deze inspectie. Komt in de agenda en de planning."),
    )
    notes = forms.CharField(
        label=_("Verslag"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    shown_on = forms.DateField(widget=forms.HiddenInput())

    GENERAL = ("on", "organisations", "other_partners", "persons_present", "outcome",
               "next_inspection", "notes")  # fmt: skip

    def __init__(self, *args: Any, rows: list[NormRow], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        for row in rows:
            self.fields[f"{row.prefix}_result"] = forms.ChoiceField(
                label=row.label,
                choices=RESULT_CHOICES,
                initial=UNCHECKED,
                widget=forms.RadioSelect(
                    attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
                ),
            )
            self.fields[f"{row.prefix}_measured"] = forms.DecimalField(
                label=_("Gemeten waarde"),
                required=False,
                max_digits=12,
                decimal_places=2,
                min_value=Decimal(0),
                widget=forms.NumberInput(
                    attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "step": "any"}
                ),
            )
            self.fields[f"{row.prefix}_note"] = forms.CharField(
                label=_("Toelichting"),
                max_length=300,
                required=False,
                widget=forms.TextInput(
                    attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}
                ),
            )

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.GENERAL]

    def norm_fields(
        self,
    ) -> list[tuple[NormRow, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (row, self[f"{row.prefix}_result"], self[f"{row.prefix}_measured"],
             self[f"{row.prefix}_note"])
            for row in self.rows
        ]  # fmt: skip

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        on, following = data.get("on"), data.get("next_inspection")
        if on and following and following <= on:
            self.add_error("next_inspection", _("De volgende inspectie ligt na deze inspectie."))
        return data

    def results(self) -> list[services.NormResult]:
        data = self.cleaned_data
        return [
            services.NormResult(
                norm=row.norm,
                met=RESULTS[data[f"{row.prefix}_result"]],
                measured=data.get(f"{row.prefix}_measured"),
                note=(data.get(f"{row.prefix}_note") or "").strip(),
            )
            for row in self.rows
        ]

    def service_values(self) -> dict[str, Any]:
        """The keyword arguments of services.record_inspection."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.GENERAL}
        values["organisations"] = list(data["organisations"])
        values["results"] = self.results()
        return values


def initial_from(data: Any, rows: list[NormRow]) -> dict[str, Any]:
    """What was typed in, as the initial values of a fresh form (the norms of another day
    are shown without complaining about fields not filled in yet)."""
    initial = {name: data.get(name) for name in InspectionForm.GENERAL if data.get(name)}
    initial["organisations"] = data.getlist("organisations")
    for row in rows:
        for part in ("result", "measured", "note"):
            if value := data.get(f"{row.prefix}_{part}"):
                initial[f"{row.prefix}_{part}"] = value
    return initial


class EnforcementForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=_("Stap"), choices=EnforcementKind.choices)
    inspection = forms.ModelChoiceField(
        label=_("Naar aanleiding van inspectie"),
        queryset=Inspection.objects.none(),
        required=False,
    )
    decided_on = forms.DateField(label=_("Besloten op"), widget=DateInput())
    deadline = forms.DateField(
        label=_("Termijn tot"),
        widget=DateInput(),
        required=False,
        help_text=_("De dag waarop de termijn afloopt; komt in de agenda."),
    )
    completed_on = forms.DateField(
        label=_("Afgerond op"),
        widget=DateInput(),
        required=False,
        help_text=_("Leeg zolang de stap loopt."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, location: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = location.inspections.order_by("-on", "-id")
        self.fields["inspection"].label_from_instance = lambda i: (
            f"{i.on:%d-%m-%Y}: {i.get_outcome_display()}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decided, deadline = data.get("decided_on"), data.get("deadline")
        if decided and deadline and deadline < decided:
            self.add_error("deadline", _("De termijn loopt af op of na de dag van het besluit."))
        completed = data.get("completed_on")
        if decided and completed and completed < decided:
            self.add_error("completed_on", _("Een stap wordt afgerond na het besluit."))
        if completed and completed > timezone.localdate():
            self.add_error("completed_on", _("Deze datum ligt in de toekomst."))
        return data
