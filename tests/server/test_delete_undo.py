"""Deleting from the history or the result page (newsroom issue, defect 5): it asks first, and it can be undone
for a few minutes, in the browser app and in the API."""

from __future__ import annotations

import re

from propwatch.history import UNDO_MINUTES

from .conftest import SHORT, post_form


def analyse(client, text=SHORT) -> str:
    r = post_form(client, "/analyze", {"text": text})
    assert r.status_code == 303, r.text[:300]
    return r.headers["location"].rsplit("/", 1)[-1]


def test_a_delete_form_without_confirmation_asks_and_deletes_nothing(make_client):
    c = make_client()
    id = analyse(c)
    r = post_form(c, f"/analyses/{id}/delete")  # the existing form contract: CSRF field only
    assert r.status_code == 200
    assert "Delete this analysis?" in r.text and "Experts warn of a crisis" in r.text
    assert f"undo this from the history for {UNDO_MINUTES} minutes" in r.text
    form = re.search(r'<form method="post" action="/analyses/([^/]+)/delete".*?</form>', r.text, re.S).group(0)
    assert 'name="confirm" value="1"' in form and 'name="csrf_token"' in form
    assert f'href="/analyses/{id}" id="cancel-delete"' in r.text
    assert c.get(f"/analyses/{id}").status_code == 200  # still there


def test_a_confirmed_delete_offers_undo_and_undo_brings_it_back(make_client):
    c = make_client()
    older = analyse(c, "Older story\n\nThe council met on Monday and agreed the budget for next year.")
    id = analyse(c)
    r = post_form(c, f"/analyses/{id}/delete", {"confirm": "1"})
    assert r.status_code == 303 and r.headers["location"] == f"/history?deleted={id}"
    assert c.get(f"/analyses/{id}").status_code == 404
    html = c.get(r.headers["location"]).text
    assert "“Experts warn of a crisis” was deleted." in html
    assert f'action="/analyses/{id}/restore"' in html and ">Undo</button>" in html
    assert f'href="/analyses/{id}"' not in html  # no longer listed

    undone = post_form(c, f"/analyses/{id}/restore")
    assert undone.status_code == 303 and undone.headers["location"] == f"/history?restored={id}"
    html = c.get(undone.headers["location"]).text
    assert "is back" in html and html.index(f'href="/analyses/{id}"') < html.index(f'href="/analyses/{older}"')
    assert c.get(f"/analyses/{id}").status_code == 200
    assert post_form(c, f"/analyses/{id}/restore").status_code == 404  # nothing left to undo


def test_history_delete_buttons_ask_in_the_browser_too(make_client):
    c = make_client()
    analyse(c)
    html = c.get("/history").text
    assert re.search(r'<form method="post" action="/analyses/[^"]+/delete" class="inline"\s+data-confirm="Delete the '
                     r'analysis of “Experts warn of a crisis”\? You can undo this for \d+ minutes\.">', html)


def test_the_result_page_delete_button_asks_in_the_browser_too(make_client):
    c = make_client()
    id = analyse(c)
    html = c.get(f"/analyses/{id}").text
    assert re.search(rf'<form method="post" action="/analyses/{id}/delete"\s+data-confirm="Delete this analysis\? '
                     rf'You can undo this from the history for {UNDO_MINUTES} minutes\.">', html)


def test_undo_and_delete_need_the_csrf_token_and_a_known_id(make_client):
    c = make_client()
    id = analyse(c)
    assert c.post(f"/analyses/{id}/delete", data={"confirm": "1"}).status_code == 403
    assert post_form(c, "/analyses/nope/delete", {"confirm": "1"}).status_code == 404
    assert post_form(c, "/analyses/nope/delete").status_code == 404
    post_form(c, f"/analyses/{id}/delete", {"confirm": "1"})
    assert c.post(f"/analyses/{id}/restore").status_code == 403
    assert c.get("/history?deleted=1").text.count("The analysis was deleted.") == 1  # the old address still reads


def test_the_api_can_undo_a_delete(client):
    id = client.post("/api/v1/analyze", json={"text": SHORT}).json()["id"]
    assert client.delete(f"/api/v1/analyses/{id}").status_code == 204
    assert client.get(f"/api/v1/analyses/{id}").status_code == 404
    r = client.post(f"/api/v1/analyses/{id}/restore")
    assert r.status_code == 200 and r.json()["id"] == id and r.json()["article"]["title"] == "Experts warn of a crisis"
    assert client.get(f"/api/v1/analyses/{id}").status_code == 200
    again = client.post(f"/api/v1/analyses/{id}/restore")
    assert again.status_code == 404 and again.json()["code"] == "not_found"
    assert f"{UNDO_MINUTES} minutes" in again.json()["message"]
