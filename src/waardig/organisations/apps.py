from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "waardig.organisations"
    label = "organisations"
    verbose_name = "Organisaties"

    def ready(self) -> None:
        from waardig.organisations import registrations  # noqa: F401
