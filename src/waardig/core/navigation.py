"""The main navigation: apps register their entries; each user sees what they may open."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from waardig.core.access import VIEW, may


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    model: Any
    order: int = 100


NAV_ITEMS: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if item.url_name not in {i.url_name for i in NAV_ITEMS}:
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda i: i.order)


def navigation(request: HttpRequest) -> dict[str, Any]:
    current = request.path
    items = []
    for item in NAV_ITEMS:
        if may(request.user, VIEW, item.model):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "current": current.startswith(url)})
    return {"nav_items": items}


def section_links(
    user: Any, pages: tuple[tuple[Any, str, Any], ...], current_path: str = ""
) -> list[tuple[Any, str, bool]]:
    """(label, url, is the current page) of a section's pages (label, url name, model) the
    user may open: the row of links at the top of each page of an app."""
    links = []
    for label, name, model in pages:
        if may(user, VIEW, model):
            url = reverse(name)
            links.append((label, url, url == current_path))
    return links
