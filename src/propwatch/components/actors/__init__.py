"""Who is cast as what: an article's actors (people, organisations, states, armed groups, peoples), each with
its mentions merged, and the role the article gives each one.

    actors = find_actors(text, sentences)                 # spaCy, loaded on first use
    cast = RoleModel.load(folder).classify(text, actors)  # onnxruntime + tokenizers + numpy

``ActorCaster`` (``component.py``) runs both as the analyzer's ``actors`` component, filling ``Analysis.actors``.
"""

from .aliases import COUNTRY, GROUP, KINDS, ORGANISATION, PERSON
from .component import ActorCaster
from .finder import Actor, Mention, find_actors
from .roles import RoleModel
from .taxonomy import ALL_FINE_ROLES, FINE_ROLES, MAIN_ROLES

__all__ = [
    "ALL_FINE_ROLES",
    "ActorCaster",
    "COUNTRY",
    "FINE_ROLES",
    "GROUP",
    "KINDS",
    "MAIN_ROLES",
    "ORGANISATION",
    "PERSON",
    "Actor",
    "Mention",
    "RoleModel",
    "find_actors",
]
