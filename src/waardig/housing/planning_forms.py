"""Forms of the planning pages: projects, Woondeal agreements, deriving need, parameters.

Municipality choices come from core.access (an officer chooses among their own); the
services check again when saving. Percentages are asked as users think of them (0-100) and
handed to the rules as fractions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waardig.areas.models import Municipality, Region
from waardig.core.access import VIEW, scope
from waardig.core.forms import DateInput, StyledForm
from waardig.housing import rules
from waardig.housing.models import (
    Location,
    Project,
    ProjectStatus,
    StayClass,
    WoondealAgreement,
)
from waardig.monitor.models import Indicator

ALL = [("", _("Alle"))]
HUNDRED = Decimal(100)


def municipality_choices() -> list[tuple[str, str]]:
    return [*ALL, *((m.code, m.name) for m in Municipality.objects.current().order_by("name"))]


def plain(value: Decimal) -> Decimal:
    """30.0 -> 30: a value shown in a field without trailing zeros (nor as 3E+1)."""
    return Decimal(format(value.normalize(), "f"))


class FilterForm(StyledForm, forms.Form):
    """A filter form: invalid input counts as no filter, never as an error page."""

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: value for name, value in data.items() if value not in (None, "")}


class ProjectFilterForm(FilterForm):
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    region = forms.ChoiceField(label=_("Regio"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    stay_class = forms.ChoiceField(label=_("Verblijfsduur"), required=False)
    year = forms.ChoiceField(label=_("Verwacht gereed"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipality_choices()
        regions = Region.objects.select_related("grouping").order_by("grouping__name", "name")
        self.fields["region"].choices = [
            *ALL,
            *((str(r.pk), f"{r.name} ({r.grouping.name})") for r in regions),
        ]
        self.fields["status"].choices = [*ALL, *ProjectStatus.choices]
        self.fields["stay_class"].choices = [*ALL, *StayClass.choices]
        self.fields["year"].choices = [*ALL, *((str(y), str(y)) for y in years)]


class LocationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.municipality.name}: {obj.name} ({obj.address})"


class ProjectForm(StyledForm, forms.ModelForm):
    note = forms.CharField(
        label=_("Toelichting bij de statuswijziging"),
        max_length=500,
        required=False,
        help_text=_("Komt in de geschiedenis van het project als de status wijzigt."),
    )

    class Meta:
        model = Project
        fields = [
            "name", "municipality", "capacity", "stay_class", "housing_form", "status",
            "expected_year", "temporary_until", "location", "notes",
        ]  # fmt: skip
        widgets = {"temporary_until": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"location": LocationChoice}
        help_texts = {
            "capacity": _("Het aantal personen dat er straks kan wonen."),
            "location": _("Als het project is opgeleverd: de locatie in het register."),
        }

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        current = self.instance.municipality_id
        municipalities = Municipality.objects.open_to(actor, Project, keep=current)
        self.fields["municipality"].queryset = municipalities
        if not current and len(municipalities) == 1:  # an officer of one municipality
            self.fields["municipality"].initial = municipalities[0].pk
        self.fields["location"].queryset = scope(
            actor, Location.objects.select_related("municipality"), VIEW
        ).order_by("municipality__name", "name")

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class WoondealFilterForm(FilterForm):
    year = forms.ChoiceField(label=_("Jaar"), required=False)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    grouping = forms.ChoiceField(label=_("Regio-indeling"), required=False)

    def __init__(self, *args: Any, years: list[int], groupings: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [*ALL, *((str(y), str(y)) for y in years)]
        self.fields["municipality"].choices = municipality_choices()
        self.fields["grouping"].choices = [(g.slug, g.name) for g in groupings]


class AgreementForm(StyledForm, forms.Form):
    municipality = forms.ModelChoiceField(
        Municipality.objects.none(), label=_("Gemeente"), to_field_name="code"
    )
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=1990,
        max_value=2100,
        help_text=_("Het jaar waarin de afgesproken capaciteit er moet zijn."),
    )
    agreed_capacity = forms.IntegerField(
        label=_("Afgesproken capaciteit (personen)"),
        min_value=0,
        help_text=_(
            "Wat er aan het eind van dit jaar in totaal gerealiseerd moet zijn (cumulatief). "
            "Een afspraak voor deze gemeente en dit jaar wordt bijgewerkt."
        ),
    )
    source = forms.CharField(
        label=_("Bron"), max_length=300, required=False, help_text=_("Bijvoorbeeld de Woondeal.")
    )
    notes = forms.CharField(label=_("Toelichting"), max_length=500, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.open_to(actor, WoondealAgreement)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0].code


class NeedFilterForm(FilterForm):
    year = forms.ChoiceField(label=_("Jaar"), required=False)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [*ALL, *((str(y), str(y)) for y in years)]
        self.fields["municipality"].choices = municipality_choices()


def percentage(label: Any, initial: int | None, help_text: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        initial=initial,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        error_messages={
            "min_value": _("Een percentage ligt tussen 0 en 100: het is minstens 0."),
            "max_value": _("Een percentage ligt tussen 0 en 100: het is hoogstens 100."),
        },
    )


class DeriveNeedForm(StyledForm, forms.Form):
    """The parameters of rules.NeedParameters, each a documented assumption with a default."""

    year = forms.IntegerField(label=_("Jaar"), min_value=1990, max_value=2100)
    indicator = forms.ModelChoiceField(
        Indicator.objects.none(),
        label=_("Monitorcijfer"),
        to_field_name="code",
        help_text=_("Het aantal per gemeente waaruit de behoefte volgt."),
    )
    share_needing_housing = percentage(
        _("Aandeel met huisvestingsbehoefte (%)"),
        60,
        _(
            "Aanname: welk deel van de arbeidsmigranten huisvesting voor arbeidsmigranten "
            "nodig heeft; de rest woont in een eigen, gewone woning. Standaard 60 %."
        ),
    )
    short_share = percentage(
        _("Kort verblijf (% van wie huisvesting nodig heeft)"),
        40,
        _("Aanname: standaard 40 %, omdat in 2018 40 % korter dan een jaar bleef (Decisio)."),
    )
    mid_share = percentage(
        _("Middellang verblijf (%)"),
        33,
        _("Aanname: standaard 33 %, de rest. Kort, middellang en lang tellen op tot 100 %."),
    )
    long_share = percentage(
        _("Lang verblijf (%)"),
        27,
        _("Aanname: standaard 27 %, omdat in 2018 27 % langer dan vijf jaar bleef (Decisio)."),
    )
    household_size = forms.DecimalField(
        label=_("Huishoudgrootte bij lang verblijf (personen)"),
        initial=1,
        min_value=Decimal("0.1"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=_("Aanname: 1 = de werknemer alleen; meer als partner en kinderen meekomen."),
    )
    persons_per_unit = forms.DecimalField(
        label=_("Personen per wooneenheid"),
        initial=1,
        min_value=Decimal("0.1"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=_(
            "Aanname: rekent personen om in wooneenheden; 1 = één persoon per kamer, de "
            "provinciale ondergrens."
        ),
    )

    def __init__(self, *args: Any, indicators: QuerySet, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        if years:
            self.fields["year"].help_text = _("Jaren met cijfers: %(years)s.") % {
                "years": ", ".join(str(y) for y in years)
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        shares = [data.get(f"{c}_share") for c in rules.STAY_CLASSES]
        if None in shares or data.get("share_needing_housing") is None:
            return data  # the field errors say what is wrong
        if sum(shares) != HUNDRED:
            raise forms.ValidationError(
                _(
                    "Kort, middellang en lang verblijf tellen samen op tot %(sum)s %%; "
                    "samen moeten ze 100 %% zijn."
                ),
                params={"sum": sum(shares)},
            )
        try:
            data["parameters"] = rules.NeedParameters(
                share_needing_housing=data["share_needing_housing"] / HUNDRED,
                class_shares={
                    c: s / HUNDRED for c, s in zip(rules.STAY_CLASSES, shares, strict=True)
                },
                persons_per_unit=data["persons_per_unit"],
                household_size=data["household_size"],
            )
        except (ValueError, KeyError) as exc:
            raise forms.ValidationError(
                _("Deze parameters kloppen niet: %(e)s"), params={"e": exc}
            ) from exc
        return data


WEIGHTED_STATUSES = [s for s in ProjectStatus if s != ProjectStatus.CANCELLED]
"""A cancelled project never counts (rules.Parameters): it gets no field."""


class ParametersForm(StyledForm, forms.Form):
    short_max_months = forms.IntegerField(
        label=_("Kort verblijf: hoogstens (maanden)"),
        min_value=1,
        max_value=120,
        help_text=_("De provincie rekent tot en met 4 maanden als kort verblijf."),
    )
    mid_max_months = forms.IntegerField(
        label=_("Middellang verblijf: hoogstens (maanden)"),
        min_value=1,
        max_value=600,
        help_text=_("Langer dan dit is lang verblijf."),
    )
    reason = forms.CharField(
        label=_("Reden van de wijziging"),
        max_length=300,
        error_messages={"required": _("Geef de reden van de wijziging.")},
        help_text=_("Komt in de geschiedenis, met uw naam en de datum."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for status in WEIGHTED_STATUSES:
            help_text = _("Welk deel van de capaciteit meetelt in het tekort (0 tot 100 %).")
            if status == ProjectStatus.REALISED:
                help_text = _(
                    "Een gerealiseerd project staat als locatie in het register; meetellen "
                    "telt het dubbel."
                )
            self.fields[f"weight_{status}"] = percentage(
                _("Weging %(status)s (%%)") % {"status": status.label}, None, help_text
            )
        # The reason comes last, after the values it explains.
        self.fields["reason"] = self.fields.pop("reason")

    @staticmethod
    def initial_from(params: rules.Parameters) -> dict[str, Any]:
        return {
            "short_max_months": params.short_max_months,
            "mid_max_months": params.mid_max_months,
            **{f"weight_{s}": plain(params.weight(s) * HUNDRED) for s in WEIGHTED_STATUSES},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        short, mid = data.get("short_max_months"), data.get("mid_max_months")
        if short is not None and mid is not None and short >= mid:
            self.add_error(
                "mid_max_months",
                _("Middellang verblijf eindigt na kort verblijf: kies meer dan %(n)s maanden.")
                % {"n": short},
            )
        weights = {s.value: data.get(f"weight_{s}") for s in WEIGHTED_STATUSES}
        if None not in weights.values():
            data["weights"] = {
                **{s: (w / HUNDRED).normalize() for s, w in weights.items()},
                ProjectStatus.CANCELLED.value: Decimal(0),
            }
        return data
