from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "waardig.areas"
    label = "areas"
    verbose_name = "Gebieden"

    def ready(self) -> None:
        from waardig.areas import registrations  # noqa: F401
