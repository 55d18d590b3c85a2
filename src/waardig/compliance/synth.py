"""Placeholder: `waardig synth` (filled in by its own part)."""

import argparse


def main(args: argparse.Namespace) -> int:
    raise NotImplementedError
