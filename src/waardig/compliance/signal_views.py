"""Placeholder: filled in by its own part."""

from django.http import HttpResponse
from django.urls import path


def home(request):  # replaced by the overview page
    return HttpResponse("Toezicht")


urlpatterns: list = [path("", home, name="compliance-home")]
