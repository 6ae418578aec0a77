"""The JSON report: the ``Analysis`` exactly as the schema defines it, so it loads back with
``Analysis.model_validate_json`` and other tools read the same fields the server and batch jobs write."""

from __future__ import annotations

from ..schema import Analysis


def to_json(analysis: Analysis) -> str:
    """Pretty JSON (two-space indent) that round-trips to an equal ``Analysis``."""
    return analysis.model_dump_json(indent=2)
