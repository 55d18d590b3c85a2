"""Generic pages for every registered export and report: one view each, not one per app."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from waardig.core import reporting
from waardig.core.exports import TABLE_FORMATS, export
from waardig.core.registry import EXPORTS, REPORTS
from waardig.core.reports.html import render_html_fragment
from waardig.core.reports.render import CONTENT_TYPES, EXTENSIONS
from waardig.core.reports.render import render as render_document
from waardig.core.views import refusal


def _options(request: HttpRequest, declared: tuple) -> dict[str, Any]:
    return {o.name: request.GET.get(o.name, "") for o in declared if request.GET.get(o.name)}


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = EXPORTS.get(kind)
    if spec is None or fmt not in TABLE_FORMATS:
        raise Http404
    if denied := refusal(request, spec.model):
        return denied
    with _option_errors():
        content = export(request.user, spec, fmt, _options(request, spec.options))
    return _attachment(content, TABLE_FORMATS[fmt], f"waardig-{kind}-{date.today():%Y%m%d}.{fmt}")


def _build(request: HttpRequest, spec: Any, fmt: str = "html") -> Any:
    with _option_errors():
        return reporting.build(request.user, spec, _options(request, spec.options), fmt=fmt)


@contextmanager
def _option_errors() -> Iterator[None]:
    """Options naming nothing (the user may see) answer 404, invalid ones 400."""
    try:
        yield
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        raise BadOptions("; ".join(exc.messages)) from None


class BadOptions(SuspiciousOperation):
    """Shown as 400 by Django's handler: the report's options are not valid."""


def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    spec = REPORTS.get(kind)
    if spec is None:
        raise Http404
    if denied := refusal(request, spec.model):
        return denied
    document = _build(request, spec)
    return render(
        request,
        "core/report_page.html",
        {
            "spec": spec,
            "document": document,
            "body": render_html_fragment(document),
            "formats": [f for f in EXTENSIONS if f != "html"],
            "query": request.GET.urlencode(),
            "options": [(o, request.GET.get(o.name, "")) for o in spec.options],
        },
    )


def report_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = REPORTS.get(kind)
    if spec is None or fmt not in EXTENSIONS or fmt == "html":
        raise Http404
    if denied := refusal(request, spec.model):
        return denied
    document = _build(request, spec, fmt)
    filename = f"waardig-{kind}-{date.today():%Y%m%d}.{EXTENSIONS[fmt]}"
    return _attachment(render_document(document, fmt), CONTENT_TYPES[fmt], filename)
