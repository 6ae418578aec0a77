"""The three ways propwatch shows an ``Analysis``: a terminal report (rich), a self-contained HTML page, and
JSON. Each takes an analysis already filtered by the caller and draws all of it."""

from .html import render_html
from .json import to_json
from .terminal import render_terminal

__all__ = ["render_html", "render_terminal", "to_json"]
