"""The forms of the location pages: the register's filters, a location's facts, a status
change and a head count. Values go to housing.services, which checks access and validates
again; these forms only offer what the user may choose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardig.areas.models import Municipality
from waardig.core.access import CHANGE, VIEW
from waardig.core.forms import DateInput, StyledForm
from waardig.housing import occupancy, rules, services
from waardig.housing.models import (
    Certification,
    HousingForm,
    Location,
    LocationStatus,
    StayClass,
)
from waardig.organisations.models import Organisation

ALL = [("", _("Alle"))]


class LocationFilterForm(StyledForm, forms.Form):
    """The filters of the register; ``occupancy.clean_filters`` reads the same names."""

    q = forms.CharField(label=_("Zoeken op naam, adres of postcode"), required=False)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    housing_form = forms.ChoiceField(label=_("Woonvorm"), required=False)
    stay_class = forms.ChoiceField(label=_("Verblijfsduur"), required=False)
    certification = forms.ChoiceField(label=_("Keurmerk"), required=False)
    certified = forms.ChoiceField(
        label=_("Geldig certificaat vandaag"),
        required=False,
        choices=[*ALL, (occupancy.YES, _("ja")), (occupancy.NO, _("nee"))],
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = ALL + [
            (m.code, m.name) for m in Municipality.objects.open_to(actor, Location, VIEW)
        ]
        self.fields["status"].choices = ALL + LocationStatus.choices
        self.fields["housing_form"].choices = ALL + HousingForm.choices
        self.fields["stay_class"].choices = ALL + StayClass.choices
        self.fields["certification"].choices = ALL + Certification.choices

    def filters(self) -> dict[str, str]:
        """Only valid filters count; an invalid one is shown on its field and ignored."""
        if not self.is_bound:
            return {}
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in self.cleaned_data.items() if name not in self.errors
        }  # fmt: skip
        return occupancy.clean_filters(data)


LOCATION_FIELDSETS = (
    (_("Adres"), ("name", "municipality", "street", "house_number", "house_number_addition",
                  "postcode", "place", "bag_id", "latitude", "longitude")),
    (_("Huisvesting"), ("housing_form", "stay_class", "zone", "temporary_building_until",
                        "temporary_permit_until")),
    (_("Capaciteit en voorzieningen"), ("capacity", "bedrooms", "bedroom_area", "living_area",
                                        "toilets", "showers")),
    (_("Huurcontract"), ("separate_contract", "transition_days")),
    (_("Huisvester en werkgevers"), ("operator", "employers")),
    (_("Keurmerk"), ("certification", "certificate_number", "certificate_valid_until",
                     "last_audit")),
    (_("Vergunningen"), ("landlord_licence", "landlord_licence_until", "operating_licence",
                         "operating_licence_until")),
    (_("Toelichting"), ("notes", "fictitious")),
)  # fmt: skip
CREATE_FIELDSET = (_("Status bij vastleggen"), ("status", "status_on"))
DATE_FIELDS = (
    "temporary_building_until", "temporary_permit_until", "certificate_valid_until",
    "last_audit", "landlord_licence_until", "operating_licence_until",
)  # fmt: skip


class LocationForm(StyledForm, forms.ModelForm):
    """Every editable fact of a location; on a new one also its first status and since when.

    The status of an existing location changes on its own page (history is kept there).
    """

    status = forms.ChoiceField(label=_("Status"), choices=LocationStatus.choices)
    status_on = forms.DateField(label=_("Sinds"), widget=DateInput())

    class Meta:
        model = Location
        fields = [*services.LOCATION_FIELDS, "employers"]
        widgets = {
            **{name: DateInput() for name in DATE_FIELDS},
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.creating = self.instance.pk is None
        if not self.creating:
            del self.fields["status"], self.fields["status_on"]
        else:
            self.fields["status_on"].initial = timezone.localdate()
        keep = None if self.creating else self.instance.municipality_id
        allowed = Municipality.objects.open_to(actor, Location, CHANGE, keep)
        self.fields["municipality"].queryset = allowed
        if self.creating and len(allowed) == 1:  # an officer of one municipality need not choose
            self.fields["municipality"].initial = allowed[0].pk
        organisations = Organisation.objects.order_by("name")
        self.fields["operator"].queryset = organisations
        self.fields["employers"].queryset = organisations
        self.fields["employers"].help_text = _("Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen.")

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        groups = [*LOCATION_FIELDSETS, *([CREATE_FIELDSET] if self.creating else [])]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def clean_postcode(self) -> str:
        return rules.normal_postcode(self.cleaned_data["postcode"])

    def clean_status_on(self):
        day = self.cleaned_data["status_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day

    def service_values(self) -> dict[str, Any]:
        """The keyword arguments of services.save_location."""
        data = self.cleaned_data
        values = {name: data[name] for name in services.LOCATION_FIELDS}
        values["employers"] = list(data["employers"])
        if self.creating:
            values |= {"status": data["status"], "status_on": data["status_on"]}
        return values


class LocationStatusForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=LocationStatus.choices)
    on = forms.DateField(
        label=_("Sinds"),
        widget=DateInput(),
        help_text=_("De dag waarop de status inging; dat mag eerder zijn dan vandaag."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HeadCountForm(StyledForm, forms.Form):
    counted_on = forms.DateField(
        label=_("Peildatum"),
        widget=DateInput(),
        help_text=_("Een tweede telling op dezelfde dag vervangt de eerste."),
    )
    persons = forms.IntegerField(label=_("Aantal bewoners"), min_value=0)
    source = forms.CharField(
        label=_("Bron"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: controle ter plaatse, opgave huisvester."),
    )
