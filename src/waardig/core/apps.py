from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waardig.core"
    label = "core"
    verbose_name = "Waardig kern"
