"""The import, export and report kinds and the navigation of the housing app.

One section per part of the app, each registering its own kinds.
"""

from django.utils.translation import gettext_lazy as _

from waardig.core.navigation import NavItem, register_nav
from waardig.housing.models import HousingNeed

# -- imports (importers.py) -------------------------------------------------------------------

# -- locations and occupancy (location_views.py) ----------------------------------------------

# -- projects, Woondeal, need (planning_views.py) ---------------------------------------------

# -- gap analysis (gap.py, reports.py) --------------------------------------------------------

# -- policy inventory (policy_views.py) -------------------------------------------------------

register_nav(NavItem(_("Huisvesting"), "housing-gap", HousingNeed, order=20))
