"""`waardig manage load_boundaries FILE.geojson`: municipality boundaries for the maps."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardig.areas.boundaries import load_boundaries


class Command(BaseCommand):
    help = "Load municipality boundaries from a GeoJSON FeatureCollection (WGS84)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--code-property", default="", help="property holding the CBS code (GM0935)"
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        result = load_boundaries(path.read_bytes(), options["code_property"])
        if result.errors:
            raise CommandError("nothing loaded:\n" + "\n".join(result.errors))
        self.stdout.write(
            f"{len(result.loaded)} boundaries loaded, "
            f"{result.skipped} features of other municipalities skipped."
        )
