"""The analyses propwatch runs over an article, one package each, in the spirit of spaCy's pipeline components.

A component reads the shared preparation of a ``Draft`` (the article, its sentence boundaries) and fills its own
part of it: ``techniques`` fills the technique spans and the sentence and article scores. The analyzer
(``propwatch.analyzer``) runs the components in order over a batch of drafts and turns each into one typed
``Analysis``. Adding an analysis means adding a package here, its entry in ``registry.py``, its fields in
``schema.py`` and ``Draft``, its renderer pieces and its tests: nothing else changes.
"""

from .base import Component, Draft
from .registry import COMPONENTS, REQUIRED, build_components

__all__ = ["COMPONENTS", "Component", "Draft", "REQUIRED", "build_components"]
