from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waardig.areas.models import Municipality
from waardig.core.forms import StyledForm
from waardig.organisations.models import ContactPerson, Organisation


class ContactForm(StyledForm, forms.Form):
    municipality = forms.ModelChoiceField(Municipality.objects.none(), label=_("Gemeente"))
    topic = forms.ChoiceField(choices=ContactPerson.Topic.choices, label=_("Onderwerp"))
    name = forms.CharField(max_length=200, label=_("Naam"))
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(max_length=30, required=False, label=_("Telefoon"))
    function = forms.CharField(max_length=200, required=False, label=_("Functie"))
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(), required=False, label=_("Organisatie")
    )
    notes = forms.CharField(
        max_length=500,
        required=False,
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.open_to(actor, ContactPerson)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:  # an officer of one municipality need not choose
            self.fields["municipality"].initial = municipalities[0]


class ContactFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Zoeken op naam of e-mail"))
    region = forms.ChoiceField(required=False, label=_("Regio"))
    municipality = forms.ChoiceField(required=False, label=_("Gemeente"))
    topic = forms.ChoiceField(required=False, label=_("Onderwerp"))

    def __init__(self, *args: Any, regions: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Alle regio's"))] + [
            (str(r.id), f"{r.name} ({r.grouping.name})") for r in regions
        ]
        self.fields["municipality"].choices = [("", _("Alle gemeenten"))] + [
            (m.code, m.name) for m in Municipality.objects.current()
        ]
        self.fields["topic"].choices = [("", _("Alle onderwerpen")), *ContactPerson.Topic.choices]
