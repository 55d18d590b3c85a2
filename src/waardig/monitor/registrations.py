"""The import, export and report kinds and the navigation of the monitor app."""

from waardig.core.registry import register_import
from waardig.monitor.importers import ObservationImporter

register_import(ObservationImporter)
