from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "waardig.meetings"
    label = "meetings"
    verbose_name = _("Overleggen")

    def ready(self) -> None:
        from waardig.meetings import registrations  # noqa: F401
