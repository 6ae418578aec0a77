"""Permalinks on a server with a token (newsroom issue, defect 11): ``/analyses/{id}``, its JSON, report and CSV
answered anyone while ``/api/v1/analyses/{id}`` answered 401. The decision (``security.py``,
docs/web-and-api.md): they need sign-in or the token, as the API does; without a token every page is open."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .conftest import SHORT, post_form

TOKEN = "correct-horse-battery-staple-0123456789"
PAGES = ["/analyses/{id}", "/analyses/{id}/analysis.json", "/analyses/{id}/report.html", "/analyses/{id}/spans.csv",
         "/analyses/{id}?min_score=0.4&t=doubt"]


@pytest.fixture
def protected(make_client):
    """A server with a token, a browser signed in to it, and the id of one analysis it made."""
    c = make_client(api_token=TOKEN)
    assert post_form(c, "/login", {"token": TOKEN, "next": "/"}).status_code == 303
    made = post_form(c, "/analyze", {"text": SHORT})
    assert made.status_code == 303
    return c, made.headers["location"].rsplit("/", 1)[-1]


@pytest.mark.parametrize("path", PAGES)
def test_with_a_token_permalinks_need_sign_in(protected, path):
    c, id = protected
    url = path.format(id=id)
    if c.get(url).status_code == 404:
        pytest.skip(f"{url} is not served by this version")
    assert c.get(url).status_code == 200  # signed in
    c.cookies.delete("propwatch_session")
    r = c.get(url, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?" + urlencode({"next": url}, safe="/")
    assert "Experts warn" not in r.text
    assert c.head(url, follow_redirects=False).status_code == 303
    with_token = c.get(url, headers={"Authorization": f"Bearer {TOKEN}"})  # scripts send the token, as to the API
    assert with_token.status_code == 200
    assert c.get(url, headers={"Authorization": "Bearer wrong-token-0123456789"}, follow_redirects=False).status_code \
        == 303


def test_signing_in_returns_to_the_permalink(protected):
    c, id = protected
    c.cookies.delete("propwatch_session")
    login = c.get(f"/analyses/{id}").url  # followed to the sign-in form
    assert login.path == "/login" and login.params["next"] == f"/analyses/{id}"
    back = post_form(c, "/login", {"token": TOKEN, "next": login.params["next"]})
    assert back.headers["location"] == f"/analyses/{id}"
    assert "Experts warn of a crisis" in c.get(back.headers["location"]).text


def test_the_api_and_the_pages_agree(protected):
    c, id = protected
    c.cookies.delete("propwatch_session")
    assert c.get(f"/api/v1/analyses/{id}").status_code == 401
    assert c.get(f"/analyses/{id}", follow_redirects=False).status_code == 303


def test_without_a_token_permalinks_are_open(make_client):
    c = make_client()
    made = post_form(c, "/analyze", {"text": SHORT})
    id = made.headers["location"].rsplit("/", 1)[-1]
    c.cookies.clear()
    for path in PAGES[:3]:
        assert c.get(path.format(id=id), follow_redirects=False).status_code == 200, path
    assert c.get(f"/api/v1/analyses/{id}").status_code == 200
