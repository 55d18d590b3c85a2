from typing import Any

from django import template

from waardig.compliance.sections import section_links

register = template.Library()


@register.inclusion_tag("compliance/_sections.html", takes_context=True)
def compliance_sections(context: dict[str, Any]) -> dict[str, Any]:
    """The row of supervision pages: ``{% load compliance %}{% compliance_sections %}``."""
    request = context["request"]
    return {"links": section_links(request.user, request.path)}
