from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "waardig.monitor"
    label = "monitor"
    verbose_name = _("Monitor")

    def ready(self) -> None:
        from waardig.monitor import exports, registrations  # noqa: F401
