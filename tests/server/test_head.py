"""HEAD is answered wherever GET is (``curl -I``, link checkers, uptime monitors), with the GET's headers and no
body."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/history", "/healthz", "/api/v1/techniques", "/static/app.css"])
def test_head_answers_like_get_without_a_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    # pages carry a fresh CSRF token each time, so only fixed documents must match to the byte
    assert int(head.headers["content-length"]) > 0
    if not path.endswith(("/", "/history")):
        assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]


def test_head_of_a_missing_analysis_is_404(client):
    assert client.head("/api/v1/analyses/no-such-id").status_code == 404


def test_head_is_not_a_way_around_post_only_routes(client):
    assert client.head("/api/v1/analyze").status_code == 405
