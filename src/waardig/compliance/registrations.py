"""The import, export and report kinds and the navigation of the compliance app.

Each part registers its own kinds in its own section below."""

from django.utils.translation import gettext_lazy as _

from waardig.compliance.models import Norm
from waardig.core.navigation import NavItem, register_nav

register_nav(NavItem(_("Toezicht"), "compliance-home", Norm, order=30))

# -- norms and checks (section of the norms pages) --------------------------------------------

# -- signals and scans (section of the signals pages) -----------------------------------------

# -- registration extracts (section of the importers) -----------------------------------------

# -- inspections and enforcement (section of the inspection pages) ----------------------------
