from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "waardig.housing"
    label = "housing"
    verbose_name = _("Huisvesting")

    def ready(self) -> None:
        from waardig.housing import registrations  # noqa: F401
