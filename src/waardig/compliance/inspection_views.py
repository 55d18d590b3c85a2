"""Placeholder: filled in by its own part."""

urlpatterns: list = []
