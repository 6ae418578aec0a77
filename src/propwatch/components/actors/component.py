"""The actors analysis as a pipeline component: who the article casts as hero, villain or victim.

For each article the analyzer runs, the actor finder (``find_actors``: spaCy and the alias table) finds the
actors with their merged mentions, and the role model (``RoleModel``) gives each its role over the sentences the
analyzer prepared. The draft gets them as the schema's typed ``Actor`` (character offsets into the article
text; ``evidence`` indexes the draft's sentences, which become ``Analysis.sentences``). Actors the article
casts in no role stay, with ``main_role`` None: they are the "also mentioned" of the reports.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from ...errors import ModelError
from ...model.windows import WindowProgress
from ...schema import Actor, ModelInfo, TextSpan
from ..base import Draft
from ..spacy_pipeline import load_spacy, parse_later
from .aliases import COUNTRY, GROUP, ORGANISATION, PERSON
from .finder import Actor as Found
from .finder import find_actors
from .roles import DEFAULT_ROLE_MODEL, RoleModel

# The finder's kinds as the schema names them ("a country, state or union of states" is a state there).
SCHEMA_KINDS = {PERSON: "person", ORGANISATION: "organisation", COUNTRY: "state", GROUP: "group"}
LEAVE_OUT = "or leave the analysis out: propwatch analyze --without actors, load_analyzer(exclude=['actors'])"


class ActorCaster:
    """Loaded once (spaCy's pipeline, the role model's encoder session and heads), then reused for every batch."""

    name = "actors"

    def __init__(self, roles: RoleModel):
        self.roles = roles
        self.model_info = ModelInfo(name=roles.name, version=roles.version)

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> ActorCaster:
        """The component over the role model ``model`` (None: the shipped or installed ``roles-v1``). Either
        missing piece, spaCy's pipeline or the role model, is a ``ModelError`` that says how to get it."""
        try:
            load_spacy()
        except ModelError as exc:
            raise ModelError(f"{exc}; {LEAVE_OUT}") from None
        try:
            roles = RoleModel.load(model, threads=threads)
        except ModelError as exc:
            if model is not None:
                raise
            raise ModelError(
                f"the actors analysis needs the role model {DEFAULT_ROLE_MODEL}, which is not here ({exc}); "
                f"reinstall propwatch, or train one with propwatch train --task roles --data FRAMING_FOLDER --out "
                f"FOLDER --install-as {DEFAULT_ROLE_MODEL}, {LEAVE_OUT}"
            ) from None
        return cls(roles)

    def start(self, drafts: list[Draft]) -> None:
        """Start each article's spaCy parse in the background (``base.StartsEarly``): it needs only the text, and
        on two cores it runs beside the technique and attribution models, which leave the cores partly idle, so
        the analysis ends sooner. ``__call__`` waits for it."""
        for draft in drafts:
            parse = _parse_later(draft.article.text)
            if parse is not None:
                draft.ahead[self.name] = parse

    def __call__(self, drafts: list[Draft], progress: WindowProgress | None = None) -> None:
        # With ``progress``: the work of the batch (``count_windows``), counted first, then reported article by
        # article.
        windows = [self.count_windows(d) for d in drafts] if progress is not None else []
        if progress is not None:
            progress(0, sum(windows))
        for i, draft in enumerate(drafts):
            with draft.timed(self.name):
                text = draft.article.text
                # one parse for the finder and the role cues: the one ``start`` began, else one begun now
                pending = draft.ahead.pop(self.name, None) or _parse_later(text)
                doc = pending.result() if pending is not None else None
                found = find_actors(text, draft.sentences, doc=doc)
                cast = self.roles.classify(text, found, draft.sentences, keep_uncast=True, doc=doc,
                                           shared=draft.encoded)
                draft.actors = [_typed(a) for a in cast]
            draft.models[self.name] = self.model_info
            if progress is not None:
                progress(sum(windows[: i + 1]), sum(windows))

    def count_windows(self, draft: Draft) -> int:
        """The work the role model reports as progress for ``draft``: the encoder windows it runs (as many as
        ``roles.Encoder`` cuts the text into), or, where the draft holds the technique model's states on the
        role model's encoder and none run, one unit for the article (its parse is then most of the time)."""
        encoder = self.roles.encoder
        return 1 if encoder.reads_as(draft.encoded) is not None else max(1, encoder.count_windows(draft.article.text))


def _parse_later(text: str) -> Future | None:
    """spaCy's parse of ``text`` begun on the parse thread (None for a blank text: nothing to parse)."""
    return parse_later(text) if text.strip() else None


def _typed(a: Found) -> Actor:
    return Actor(
        name=a.name,
        kind=SCHEMA_KINDS[a.kind],  # type: ignore[arg-type]  # one of ActorKind
        mentions=[TextSpan(start=m.start, end=m.end, text=m.text) for m in a.mentions],
        main_role=a.main_role,  # type: ignore[arg-type]  # one of MAIN_ROLES, checked by the schema
        fine_roles=list(a.fine_roles),
        score=round(min(1.0, max(0.0, a.score)), 4),
        evidence=list(a.evidence),
    )
