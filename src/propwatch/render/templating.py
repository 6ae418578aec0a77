"""The one way propwatch sets up Jinja2: autoescaping on (article text is untrusted), strict undefined
variables (a typo in a template fails a test instead of rendering an empty string), tidy whitespace."""

from __future__ import annotations

import jinja2


def template_environment(package: str) -> jinja2.Environment:
    """An environment loading ``package``'s ``templates/`` folder (the report, the dashboard, the web app)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
