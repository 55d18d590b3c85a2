"""The forms of the signal and scan pages: the queue's filters, a signal's status and the
start of a scan. Values go to compliance.services and compliance.scans, which check access
and validate again; these forms only offer what the user may choose.

The queue's filters are read by ``clean_filters`` from the query string, the same way for
the page and for its download, so that both hold exactly the same signals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardig.areas.models import Municipality
from waardig.compliance import services
from waardig.compliance.models import Signal, SignalKind, SignalOutcome, SignalStatus
from waardig.core.access import VIEW
from waardig.core.forms import DateInput, StyledForm
from waardig.core.imports import Option

ALL = [("", _("Alle"))]
OPEN, EVERY_STATUS = "", "all"
"""The status filter: empty means the open signals (new or under investigation)."""
STATUS_FILTER_CHOICES = [
    (OPEN, _("Open (nieuw of in onderzoek)")),
    *SignalStatus.choices,
    (EVERY_STATUS, _("Alle, ook afgesloten")),
]
SCORE = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")
FILTERS = ("kind", "status", "municipality", "min_score", "q")
OPTIONS = (
    Option("kind", _("soort signaal, bijvoorbeeld overcrowding of rni_overdue")),
    Option("status", _("status: leeg (open), new, investigating, closed of all")),
    Option("municipality", _("CBS-code van de gemeente, bijvoorbeeld GM0983")),
    Option("min_score", _("minimale score (0-100)")),
    Option("q", _("tekst in het adres")),
)
"""The filters as options of the download (``compliance-signals``)."""


def parse_score(text: str) -> Decimal | None:
    """A score as typed ('50', '62,5'): a number from 0 to 100, else None."""
    text = (text or "").strip()
    if not (text.isascii() and SCORE.match(text)):
        return None
    score = Decimal(text.replace(",", "."))
    return score if score <= 100 else None


def clean_filters(options: dict[str, Any]) -> dict[str, str]:
    """The filters that name something: unknown kinds and statuses, unreadable scores and
    empty values are left out. A municipality is kept as given (upper case): one the user
    does not act for then finds nothing, rather than everything."""
    cleaned = {}
    for name in FILTERS:
        value = str(options.get(name) or "").strip()
        if not value:
            continue
        if name == "kind" and value not in SignalKind.values:
            continue
        if name == "status" and value not in {*SignalStatus.values, EVERY_STATUS}:
            continue
        if name == "min_score" and parse_score(value) is None:
            continue
        cleaned[name] = value.upper() if name == "municipality" else value[:100]
    return cleaned


class SignalFilterForm(StyledForm, forms.Form):
    """The queue's filters as fields (for the page and its errors); ``clean_filters`` reads
    the same names for the query."""

    kind = forms.ChoiceField(label=_("Soort"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_FILTER_CHOICES)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    min_score = forms.CharField(
        label=_("Minimale score"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    q = forms.CharField(label=_("Adres bevat"), required=False, max_length=100)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ALL + SignalKind.choices
        self.fields["municipality"].choices = ALL + [
            (m.code, m.name) for m in Municipality.objects.open_to(actor, Signal, VIEW)
        ]

    def clean_min_score(self) -> str:
        text = self.cleaned_data["min_score"]
        if text and parse_score(text) is None:
            raise forms.ValidationError(_("Geef een score van 0 tot 100, bijvoorbeeld 60."))
        return text


class SignalStatusForm(StyledForm, forms.Form):
    """The next step in a signal's status flow: only the steps services.ALLOWED permits."""

    status = forms.ChoiceField(label=_("Nieuwe status"))
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        required=False,
        help_text=_("Nodig om het signaal af te sluiten."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat is er gedaan of gevonden? Nodig bij opnieuw onderzoeken."),
    )

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = services.ALLOWED.get(SignalStatus(signal.status), set())
        self.fields["status"].choices = [
            (value, label) for value, label in SignalStatus.choices if value in allowed
        ]
        self.fields["outcome"].choices = [("", _("Geen (niet afsluiten)")), *SignalOutcome.choices]


class ScanForm(StyledForm, forms.Form):
    on = forms.DateField(
        label=_("Peildatum"),
        widget=DateInput(),
        help_text=_("De dag waarop de scan kijkt: vandaag of eerder, niet in de toekomst."),
    )

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return on
