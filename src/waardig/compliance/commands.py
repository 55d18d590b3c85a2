"""Placeholder: `waardig scan` (filled in by its own part)."""

import argparse
from typing import Any


def scan(args: argparse.Namespace, actor: Any) -> int:
    raise NotImplementedError
