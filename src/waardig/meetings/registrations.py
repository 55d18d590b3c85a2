"""The import, export and report kinds and the navigation of the meetings app."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from waardig.core.navigation import NavItem, register_nav  # noqa: F401
from waardig.meetings.models import Body  # noqa: F401

# imports (meetings.importers)
# reports and exports (meetings.reports)

# enabled by the pages: register_nav(NavItem(_("Overleg"), "body-list", Body, order=20))
