"""Forms of the policy inventory: one cell of the matrix, and the filters of its pages.

They validate input; services.set_policy writes (and checks access again).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from waardig.areas.models import Municipality
from waardig.core.access import scope
from waardig.core.forms import DateInput, StyledForm
from waardig.housing.models import Instrument, PolicyEntry
from waardig.housing.services import POLICY_FIELDS
from waardig.organisations.models import ContactPerson, Person


class PolicyForm(StyledForm, forms.ModelForm):
    """One municipality and instrument. The contact is any person in the network; the
    municipality's own contact persons come first, as they usually are the one to name."""

    class Meta:
        model = PolicyEntry
        fields = POLICY_FIELDS
        widgets = {"decided_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "decided_on": _("Wanneer het is vastgesteld, of wanneer het verwacht wordt."),
            "document_url": _("Een link naar het besluit of de beleidsregel (https://…)."),
        }

    def __init__(self, *args: Any, municipality: Municipality, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = scope(actor, Person.objects.all()).annotate(
            is_contact=Exists(
                ContactPerson.objects.filter(municipality=municipality, person=OuterRef("pk"))
            )
        )
        contact = self.fields["contact"]
        contact.queryset = people
        own = [(p.pk, p.name) for p in people.filter(is_contact=True).order_by("name", "pk")]
        others = [(p.pk, p.name) for p in people.filter(is_contact=False).order_by("name", "pk")]
        groups: list[Any] = [("", "---------")]
        if own:
            groups.append((_("Contactpersonen van %(name)s") % {"name": municipality.name}, own))
        if others:
            groups.append((_("Andere personen") if own else _("Personen"), others))
        contact.choices = groups
        contact.help_text = _("Kies uit de personen in Waardig (Organisaties en Contactpersonen).")


def _choices(empty: Any, pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", empty), *pairs]


class MatrixFilterForm(StyledForm, forms.Form):
    """How the matrix is cut: which grouping of regions, all instruments or one."""

    grouping = forms.ChoiceField(label=_("Regio-indeling"), required=False)
    instrument = forms.ChoiceField(label=_("Instrument"), required=False)

    def __init__(self, *args: Any, groupings: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["grouping"].choices = list(groupings.items())
        self.fields["instrument"].choices = _choices(_("Alle instrumenten"), Instrument.choices)


class HistoryFilterForm(StyledForm, forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    instrument = forms.ChoiceField(label=_("Instrument"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        places = Municipality.objects.current().order_by("name").values_list("code", "name")
        self.fields["municipality"].choices = _choices(_("Alle gemeenten"), list(places))
        self.fields["instrument"].choices = _choices(_("Alle instrumenten"), Instrument.choices)

    def filters(self) -> dict[str, str]:
        """The valid filters: an unknown value is left out, like an empty one."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
