"""What the compliance API modules share."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from waardig.compliance import norms
from waardig.compliance.models import Finding


def location_municipality_filter() -> filters.CharFilter:
    return filters.CharFilter(
        field_name="location__municipality__code", label="Gemeente (CBS-code)"
    )


def not_in_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise serializers.ValidationError(_("Deze datum ligt in de toekomst."))
    return day


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id", "norm", "norm_set_name", "kind", "measured", "limit", "severity", "explanation",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: Finding) -> dict[str, Any]:
        """A small guest-register count of residents is not read by who may not see the
        register: no measured value, and an explanation without the number."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        location = instance.check_run.location
        if request and norms.hides_residents(
            request.user, location, instance.small_count, instance.kind
        ):
            data["measured"] = None
            data["explanation"] = norms.hidden_residents_text()
        return data
