from typing import Any

from django import template

from waardig.housing.sections import section_links

register = template.Library()


@register.inclusion_tag("housing/_sections.html", takes_context=True)
def housing_sections(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"links": section_links(request.user, request.path)}
