"""The cast through the server over the real pipeline (the session's shipped analyzer, actors included): the API
answer carries the actors the component found, the stored analysis returns them unchanged, and the result page
lists every one of them in its cast panel, each with its mentions tagged in the text. The panels' layout is
tested over hand-made analyses in ``test_sources_and_cast.py``; roles are the role model's and not asserted."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from propwatch.schema import Analysis

EXAMPLE = (Path(__file__).resolve().parents[2] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt").read_text(
    encoding="utf-8")


@pytest.fixture(scope="module")
def answered(client) -> dict:
    r = client.post("/api/v1/analyze", json={"text": EXAMPLE})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_api_answers_with_the_actors_the_pipeline_found(client, answered):
    names = [a["name"] for a in answered["actors"]]
    assert {"United States", "Kurds", "ISIS", "Russia"} <= set(names)
    assert "actors" in answered["models"]
    analysis = Analysis.model_validate(answered)  # the schema checks that every mention indexes the text
    assert all(analysis.article.text[m.start : m.end] == m.text for a in analysis.actors for m in a.mentions)
    stored = client.get(f"/api/v1/analyses/{answered['id']}").json()
    assert stored["actors"] == answered["actors"]


def test_the_result_page_lists_every_actor_and_tags_its_mentions(client, answered):
    page = client.get(f"/analyses/{answered['id']}").text
    cast = page[page.index('class="cast layers"'):page.index('id="filters"')]
    assert cast.count('data-actor="') == len(answered["actors"])
    for actor in answered["actors"]:
        assert html.escape(actor["name"], quote=False) in cast
    us = next(a for a in answered["actors"] if a["name"] == "United States")
    assert f"{len(us['mentions'])} mentions" in cast
    tagged = {key for keys in re.findall(r'data-m="([^"]+)"', page) for key in keys.split()}
    assert tagged == {f"m{j}" for j in range(len(answered["actors"]))}  # every actor's mentions, in the text
