"""The public view of the monitor: aggregated figures without login (see public_views)."""

from django.urls import path

from waardig.monitor import public_views

urlpatterns = [
    path("", public_views.figures, name="public-figures"),
    path(
        "<slug:indicator>/<int:year>.<slug:fmt>",
        public_views.download,
        name="public-figures-download",
    ),
]
