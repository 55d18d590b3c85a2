from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "waardig.compliance"
    label = "compliance"
    verbose_name = _("Toezicht")

    def ready(self) -> None:
        from waardig.compliance import registrations  # noqa: F401
