"""``propwatch serve``: the browser app and the HTTP API over the same analyzer as the CLI.

    >>> from propwatch.server import Settings, create_app
    >>> app = create_app(Settings(db_path="history.sqlite3"))   # any ASGI server runs it; the CLI uses uvicorn
"""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
