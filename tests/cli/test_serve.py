"""``propwatch serve``: refuses unsafe or impossible settings with one line, and otherwise serves the app on
the address it prints."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from typer.testing import CliRunner

from propwatch.cli.app import app

runner = CliRunner()


def _run(*args, env=None):
    result = runner.invoke(app, ["serve", *args], env=env)
    assert "Traceback" not in result.output
    return result


def test_other_addresses_need_a_token(tmp_path):
    result = _run("--host", "0.0.0.0", "--db", str(tmp_path / "h.db"), env={"PROPWATCH_API_TOKEN": ""})
    assert result.exit_code == 1
    assert "PROPWATCH_API_TOKEN" in result.output and "refusing to listen on 0.0.0.0" in result.output
    assert len([line for line in result.output.strip().splitlines() if line.strip()]) == 1


def test_a_port_in_use_is_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = _run("--port", str(port), "--db", str(tmp_path / "h.db"))
    assert result.exit_code == 1 and "in use" in result.output


def test_an_unusable_database_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    result = _run("--port", "0", "--db", str(tmp_path / "file" / "h.db"))
    assert result.exit_code == 1 and "cannot open the history database" in result.output


def test_serve_prints_its_address_and_serves(tmp_path):
    env = {**os.environ, "PROPWATCH_DB": str(tmp_path / "env.sqlite3"), "PROPWATCH_API_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "propwatch.cli.app", "serve", "--port", "0", "--max-words", "50"],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stderr.readline()
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)", line)
        assert match, line
        base = match.group(1)
        assert str(tmp_path / "env.sqlite3") in line  # PROPWATCH_DB is the history
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=5) as r:
                    if json.load(r)["status"] == "ready":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server never became ready"
            time.sleep(0.2)
        request = urllib.request.Request(
            base + "/api/v1/analyze", data=json.dumps({"text": "Title\n\nThey lie to you."}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 200 and json.load(r)["id"]
        with urllib.request.urlopen(base + "/", timeout=5) as r:
            assert "Analyse" in r.read().decode()
        long = urllib.request.Request(
            base + "/api/v1/analyze", data=json.dumps({"text": "Title\n\n" + "They lie. " * 30}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(long, timeout=30)
            raise AssertionError("an article over --max-words was analysed")
        except urllib.error.HTTPError as refused:  # --max-words reaches the server
            assert refused.code == 413 and json.load(refused)["code"] == "article_too_long"
        assert (tmp_path / "env.sqlite3").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, proc.stderr.read()


def test_the_listening_socket_turns_nagle_off():
    """Every answer is two writes (headers, body); with Nagle's algorithm on, the second waited for the client's
    delayed ACK: 44 ms for every request after a kept-alive connection's first."""
    from propwatch.cli.serve import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY on accepted sockets only then
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()
