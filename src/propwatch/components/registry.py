"""The components propwatch knows, in the order they run, and how to build them.

The order is fixed here rather than chosen by callers, so that an analysis that reads another's output always
finds it filled: the actors analysis reuses the technique analysis's encoder states of the article
(``Draft.encoded``) instead of running the encoder again. Callers can only leave optional components out:
``attributions`` and ``actors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ModelError
from .actors.component import ActorCaster
from .attributions.component import AttributionFinder, model_for_techniques
from .base import Component
from .techniques import TechniqueDetector

ComponentFactory = Callable[[str | Path | None, int | None], Component]

# name -> factory(model, threads). ``model`` selects the technique model (``--model``); the other components
# run their own shipped models, the attributions the one that goes with it (an ensemble beside ``accurate``).
COMPONENTS: dict[str, ComponentFactory] = {
    "techniques": lambda model, threads: TechniqueDetector.load(model, threads=threads),
    "attributions": lambda model, threads: AttributionFinder.load(model_for_techniques(model), threads=threads),
    "actors": lambda model, threads: ActorCaster.load(threads=threads),
}
# The Analysis is built around the technique analysis (its sentence and article scores come from it), so it
# cannot be switched off.
REQUIRED = frozenset({"techniques"})


def check_exclude(exclude: Iterable[str]) -> frozenset[str]:
    # one name given as a string is that name, not its letters ("unknown analysis a, b, i, n, o, r, s, t, u")
    names = frozenset((exclude,) if isinstance(exclude, str) else exclude)
    unknown = sorted(names - COMPONENTS.keys())
    if unknown:
        raise ModelError(f"unknown analysis {', '.join(unknown)}: the analyses are {', '.join(COMPONENTS)}")
    required = sorted(names & REQUIRED)
    if required:
        raise ModelError(f"the {', '.join(required)} analysis cannot be switched off: the article and sentence "
                         "scores come from it")
    return names


def build_components(model: str | Path | None = None, threads: int | None = None,
                     exclude: Iterable[str] = ()) -> list[Component]:
    """Every known component but the excluded ones, in pipeline order."""
    skip = check_exclude(exclude)
    return [factory(model, threads) for name, factory in COMPONENTS.items() if name not in skip]
