"""Forms of the programme pages; they validate input, services do the writing."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waardig.core.forms import DateInput, StyledForm
from waardig.organisations.models import Organisation
from waardig.programme.models import (
    ACTION_FIELDS,
    PROGRAMME_FIELDS,
    Action,
    BudgetLine,
    Milestone,
    Programme,
    ProvinceRole,
    Status,
    Theme,
)
from waardig.programme.rules import DEFAULT_PROGRESS

THEME_LABELS = ("thema", "actiegebied", "speerpunt", "doelstelling", "actielijn", "project")


class ProgrammeForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "start_date": _("Leeg laten: afgeleid uit de periode."),
            "end_date": _("Leeg laten: afgeleid uit de periode."),
        }


class ThemeForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["parent", "label", "code", "title", "description", "order", "weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme  # model.clean() compares it with the theme's
        parents = programme.themes.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["label"].widget.attrs["list"] = "theme-labels"
        self.label_suggestions = THEME_LABELS


class ActionForm(StyledForm, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Rol provincie"),
        choices=ProvinceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Action
        fields = [*ACTION_FIELDS, "order", "external_id"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "start_date": _("Leeg laten: afgeleid uit de periode."),
            "end_date": _("Leeg laten: afgeleid uit de periode."),
            "external_id": _("Leeg laten: wordt toegekend."),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme  # model.clean() compares it with the theme's
        self.fields["theme"].queryset = programme.themes.all()
        self.fields["partners"].queryset = Organisation.objects.all()
        self.fields["external_id"].required = False

    def service_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["partners"] = list(values["partners"])
        return values


class StatusUpdateForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress = forms.IntegerField(
        label=_("Voortgang (%)"),
        min_value=0,
        max_value=100,
        required=False,
    )
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    narrative = forms.CharField(
        label=_("Stand van zaken"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        defaults = ", ".join(f"{Status(k).label} {v}%" for k, v in DEFAULT_PROGRESS.items())
        self.fields["progress"].help_text = gettext(
            "Leeg: de standaard bij de status (%(defaults)s)."
        ) % {"defaults": defaults}


class MilestoneForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "period_text", "planned_start", "planned_end", "achieved_on", "order"]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "achieved_on": DateInput(),
        }


class BudgetLineForm(StyledForm, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "description",
            "funding_source",
            "theme",
            "action",
            "year",
            "budgeted",
            "committed",
            "spent",
        ]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme  # model.clean() compares it with the theme's
        self.fields["theme"].queryset = programme.themes.all()
        self.fields["action"].queryset = programme.actions.all()


class ActionFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False)
    theme = forms.ChoiceField(label=_("Thema"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *Status.choices]
    )
    organisation = forms.ChoiceField(label=_("Organisatie"), required=False)
    role = forms.ChoiceField(
        label=_("Rol provincie"), required=False, choices=[("", _("Alle")), *ProvinceRole.choices]
    )
    overdue = forms.BooleanField(label=_("Alleen gemarkeerd"), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Alle"))] + [
            (str(t.pk), str(t)) for t in programme.themes.all()
        ]
        involved = Organisation.objects.filter(
            pk__in=set(
                programme.actions.exclude(lead_organisation=None).values_list(
                    "lead_organisation", flat=True
                )
            )
            | set(programme.actions.values_list("partners", flat=True))
        )
        self.fields["organisation"].choices = [("", _("Alle"))] + [
            (str(o.pk), o.name) for o in involved
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
