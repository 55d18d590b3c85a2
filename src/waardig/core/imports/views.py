"""Upload -> preview with row-level errors -> confirm; large files run as background jobs."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waardig.core.access import CHANGE, may, scope
from waardig.core.exports import render_table
from waardig.core.imports import jobs
from waardig.core.imports.readers import extension
from waardig.core.models import ImportJob
from waardig.core.registry import IMPORTS, personal_import_kinds


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bestand"))

    def __init__(self, *args, formats: tuple[str, ...], options: tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = formats
        self.option_names = [o.name for o in options]
        for option in options:  # e.g. the programme an action list belongs to
            self.fields[option.name] = forms.CharField(
                label=capfirst(option.help), required=option.required
            )
        accept = ",".join(f".{f}" for f in formats)
        self.fields["file"].widget.attrs["accept"] = accept
        self.fields["file"].help_text = _("Toegestaan: %(formats)s, maximaal %(mb)s MB.") % {
            "formats": ", ".join(f".{f}" for f in formats),
            "mb": settings.WAARDIG_UPLOAD_MAX_BYTES // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension(upload.name) not in self.formats:
            raise forms.ValidationError(_("Dit bestandstype wordt hier niet ondersteund."))
        if upload.size > settings.WAARDIG_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is te groot."))
        return upload


def _importer_for(request: HttpRequest, kind: str):
    importer = IMPORTS.get(kind)
    if importer is None:
        raise Http404
    if not may(request.user, CHANGE, importer.model):
        raise PermissionDenied
    return importer


def _visible_jobs(request: HttpRequest):
    """The jobs the access policy shows this user, plus the ones they started themselves.

    A job of a personal kind (a guest register) lists rows of person-level data in its
    preview: only the user who started it sees it, not even the province admin.
    """
    every_job = ImportJob.objects.all()
    personal = personal_import_kinds()
    others = scope(request.user, every_job.exclude(kind__in=personal))
    return others | every_job.filter(user=request.user)


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    kinds = [i for i in IMPORTS.values() if may(request.user, CHANGE, i.model)]
    if not kinds:
        raise PermissionDenied
    return render(
        request,
        "core/import_index.html",
        {"kinds": kinds, "jobs": _visible_jobs(request).select_related("user")[:20]},
    )


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer_for(request, kind)
    if importer.upload_url_name:  # uploaded on its own page; options such as ?body=... go along
        query = request.GET.urlencode()
        return redirect(reverse(importer.upload_url_name) + (f"?{query}" if query else ""))
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        formats=importer.formats,
        options=importer.options,
        initial=request.GET.dict(),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        options = {n: form.cleaned_data[n] for n in form.option_names if form.cleaned_data[n]}
        job = jobs.create_job(request.user, kind, upload.name, data, options)
        jobs.start(job, commit=False, data=data)
        return redirect("import-job", pk=job.pk)
    return render(request, "core/import_upload.html", {"importer": importer, "form": form})


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer_for(request, kind)
    content = render_table([c.name for c in importer.columns], [], "csv")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="waardig-{kind}-sjabloon.csv"'
    return response


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(_visible_jobs(request), pk=pk)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    importer = IMPORTS.get(job.kind)
    template = (
        "core/import_job_status.html"
        if request.headers.get("HX-Request")
        else "core/import_job.html"
    )
    response = render(request, template, {"job": job, "importer": importer})
    if request.headers.get("HX-Request") and not job.is_busy:
        response["HX-Refresh"] = "true"  # the job finished: show the full result page
    return response


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    importer = _importer_for(request, job.kind)
    if job.status != ImportJob.Status.PREVIEW or importer.upload_url_name:
        messages.error(request, _("Deze import kan niet (meer) worden opgeslagen."))
        return redirect("import-job", pk=job.pk)
    with job.file.open("rb") as handle:
        data = handle.read()
    if jobs.sha256(data) != job.file_hash:
        raise PermissionDenied(_("Het bestand is gewijzigd na de controle."))
    jobs.start(job, commit=True, data=data)
    return redirect("import-job", pk=job.pk)
