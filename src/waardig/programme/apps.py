from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "waardig.programme"
    label = "programme"
    verbose_name = _("Programma's")

    def ready(self) -> None:
        from waardig.programme import registrations  # noqa: F401
