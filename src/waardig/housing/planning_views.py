"""Placeholder: filled in by the housing pages."""

urlpatterns: list = []
