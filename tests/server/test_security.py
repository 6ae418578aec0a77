"""Tokens, CSRF, host names, headers: a server that other machines can reach must ask for its token, and no
other web site may drive it through the user's browser."""

from __future__ import annotations

import pytest

from propwatch.server.security import Csrf, tokens_match

from .conftest import SHORT, csrf_token, post_form

TOKEN = "correct-horse-battery-staple-0123456789"


def test_tokens_match_only_exactly():
    assert tokens_match(TOKEN, TOKEN)
    assert not tokens_match(TOKEN[:-1], TOKEN)
    assert not tokens_match(TOKEN + "x", TOKEN)
    assert not tokens_match("", TOKEN) and not tokens_match(None, TOKEN)


def test_csrf_tokens_are_signed():
    csrf = Csrf(b"k" * 32)
    token = csrf.issue()
    assert csrf.valid(token)
    nonce, mac = token.split(".")
    assert not csrf.valid(f"{nonce}.{'0' * len(mac)}")
    assert not csrf.valid(f"other.{mac}")
    assert not Csrf(b"x" * 32).valid(token)
    assert not csrf.valid(None) and not csrf.valid("no-dot")


@pytest.fixture
def guarded(make_client):
    return make_client(api_token=TOKEN)


def test_with_a_token_every_api_call_needs_it(guarded):
    for method, path, body in [("post", "/api/v1/analyze", {"text": SHORT}), ("get", "/api/v1/analyses", None),
                               ("get", "/api/v1/techniques", None), ("delete", "/api/v1/analyses/abc", None),
                               ("post", "/api/v1/analyze/batch", {"documents": [{"text": SHORT}]})]:
        kwargs = {"json": body} if body is not None else {}
        r = guarded.request(method, path, **kwargs)
        assert r.status_code == 401, (method, path)
        assert r.json()["code"] == "unauthorized" and r.headers["WWW-Authenticate"] == "Bearer"
        wrong = guarded.request(method, path, headers={"Authorization": "Bearer wrong-token"}, **kwargs)
        assert wrong.status_code == 401
    ok = guarded.post("/api/v1/analyze", json={"text": SHORT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    assert guarded.get("/api/v1/techniques", headers={"X-API-Token": TOKEN}).status_code == 200
    assert guarded.get("/healthz").status_code == 200 and guarded.get("/readyz").status_code == 200


def test_with_a_token_pages_that_change_state_need_sign_in(guarded):
    refused = post_form(guarded, "/analyze", {"text": SHORT})
    assert refused.status_code == 401 and "Sign in" in refused.text
    assert guarded.get("/history", follow_redirects=False).headers["location"] == "/login?next=/history"

    wrong = post_form(guarded, "/login", {"token": "not-it", "next": "/history"})
    assert wrong.status_code == 401 and "not this server" in wrong.text
    signed = post_form(guarded, "/login", {"token": TOKEN, "next": "/history"})
    assert signed.status_code == 303 and signed.headers["location"] == "/history"
    assert TOKEN not in signed.headers["set-cookie"]  # the cookie is derived from the token, not the token

    made = post_form(guarded, "/analyze", {"text": SHORT})
    assert made.status_code == 303 and made.headers["location"].startswith("/analyses/")
    assert guarded.get("/history").status_code == 200
    out = post_form(guarded, "/logout")
    assert out.status_code == 303
    assert post_form(guarded, "/analyze", {"text": SHORT}).status_code == 401


def test_login_never_redirects_off_site(guarded):
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        r = post_form(guarded, "/login", {"token": TOKEN, "next": target})
        assert r.headers["location"] == "/"


def test_forms_need_the_csrf_token(client):
    csrf_token(client)  # the browser has the cookie
    missing = client.post("/analyze", data={"text": SHORT}, follow_redirects=False)
    assert missing.status_code == 403 and "expired" in missing.text
    forged = client.post("/analyze", data={"text": SHORT, "csrf_token": "abc.def"}, follow_redirects=False)
    assert forged.status_code == 403
    good = post_form(client, "/analyze", {"text": SHORT})
    assert good.status_code == 303


def test_cross_site_form_posts_are_refused(client):
    r = post_form(client, "/analyze", {"text": SHORT}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "another site" in r.text
    same = post_form(client, "/analyze", {"text": SHORT}, headers={"Origin": "http://127.0.0.1:8000"})
    assert same.status_code == 303


def test_loopback_servers_refuse_other_host_names(client):
    """DNS rebinding: a page on evil.example re-pointed at 127.0.0.1 must not read the history."""
    r = client.get("/api/v1/analyses", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.json()["code"] == "bad_host"
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/history", "/docs", "/login", "/api/v1/techniques", "/no-such-page"])
def test_every_answer_carries_the_csp_and_friends(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "no-referrer"


def test_cookies_are_http_only_and_same_site_strict(client):
    client.cookies.clear()
    r = client.get("/")
    cookie = r.headers["set-cookie"].lower()
    assert "propwatch_csrf=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_requests_past_max_requests_get_503_before_their_body_is_read(make_client, analyzer):
    import threading

    from .test_workers import Gate

    gate = Gate(analyzer)
    c = make_client(analyzer_override=gate, max_requests=1)
    answers = {}
    def post():
        answers["first"] = c.post("/api/v1/analyze", json={"text": SHORT})

    first = threading.Thread(target=post)
    first.start()
    assert gate.entered.acquire(timeout=10)
    busy = c.post("/api/v1/analyze", json={"text": SHORT})
    gate.open.set()
    first.join(20)
    assert busy.status_code == 503 and busy.json()["code"] == "server_busy" and busy.headers["Retry-After"]
    assert answers["first"].status_code == 200
    assert c.get("/healthz").status_code == 200


def test_logout_ends_the_session_on_the_server(guarded):
    assert post_form(guarded, "/login", {"token": TOKEN, "next": "/"}).status_code == 303
    cookie = guarded.cookies.get("propwatch_session")
    assert cookie and TOKEN not in cookie
    assert guarded.get("/history", follow_redirects=False).status_code == 200
    assert post_form(guarded, "/logout").status_code == 303
    guarded.cookies.set("propwatch_session", cookie)  # a copy of the cookie, kept after logout
    assert guarded.get("/history", follow_redirects=False).status_code == 303  # to /login: the session is over
    assert post_form(guarded, "/analyze", {"text": SHORT}).status_code == 401
    guarded.cookies.set("propwatch_session", "forged-session-id")
    assert guarded.get("/history", follow_redirects=False).status_code == 303


def test_wrong_tokens_are_throttled_per_address(guarded):
    logins = guarded.app.state.service.logins
    now = [1000.0]
    logins.clock = lambda: now[0]
    for _ in range(5):
        assert post_form(guarded, "/login", {"token": "wrong-token", "next": "/"}).status_code == 401
    locked = post_form(guarded, "/login", {"token": TOKEN, "next": "/"})  # even the right one, while locked
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1"
    assert "Too many wrong tokens" in locked.text
    now[0] += 1.5
    assert post_form(guarded, "/login", {"token": "wrong-again", "next": "/"}).status_code == 401
    assert post_form(guarded, "/login", {"token": TOKEN, "next": "/"}).headers["Retry-After"] == "2"  # doubled
    now[0] += 2.5
    assert post_form(guarded, "/login", {"token": TOKEN, "next": "/"}).status_code == 303  # and forgiven
    assert logins.wait("testclient") == 0


def test_wrong_api_tokens_are_throttled_too(guarded):
    wrong = {"Authorization": "Bearer wrong-token-wrong-token"}
    for _ in range(5):
        assert guarded.get("/api/v1/techniques", headers=wrong).status_code == 401
    r = guarded.get("/api/v1/techniques", headers=wrong)
    assert r.status_code == 429 and r.json()["code"] == "too_many_tries" and r.headers["Retry-After"]
    assert guarded.get("/api/v1/techniques", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.get("/healthz").status_code == 200
