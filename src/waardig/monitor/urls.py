"""The monitor's pages for the network: dashboard, regions, municipalities, map."""

urlpatterns: list = []
