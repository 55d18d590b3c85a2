"""The public view of the monitor: aggregated figures without login (filled in next)."""

urlpatterns: list = []
