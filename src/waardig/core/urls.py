from django.urls import path

from waardig.core import downloads, health
from waardig.core.imports import views as imports

urlpatterns = [
    path("health/", health.health, name="health"),
    path("imports/", imports.import_index, name="import-index"),
    path("imports/<slug:kind>/", imports.import_upload, name="import-upload"),
    path("imports/<slug:kind>/sjabloon.csv", imports.import_template, name="import-template"),
    path("imports/job/<int:pk>/", imports.import_job, name="import-job"),
    path("imports/job/<int:pk>/opslaan/", imports.import_commit, name="import-commit"),
    path("export/<slug:kind>.<slug:fmt>", downloads.export_download, name="export"),
    path("rapporten/<slug:kind>/", downloads.report_page, name="report"),
    path("rapporten/<slug:kind>.<slug:fmt>", downloads.report_download, name="report-download"),
]
