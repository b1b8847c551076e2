"""A terminal session through Debian's `jupyter console` (a real front end in a pty, driven
by pexpect): a value comes back as Out[n], `exit` and `quit` end the session (the kernel's
ask_exit payload) and the console shuts the kernel down; and is_complete's answers, which
consoles use to decide between running a line and asking for more."""
import os
import shutil

import pexpect
import pytest

from conftest import start_kernel

pytestmark = pytest.mark.skipif(shutil.which("jupyter-console") is None,
                                reason="needs Debian's jupyter-console (`make deps`)")


def console():
    env = dict(os.environ, TERM="dumb")
    c = pexpect.spawn("jupyter", ["console", "--kernel", "neurodyn", "--simple-prompt"],
                      encoding="utf-8", timeout=30, env=env)
    c.expect(r"In \[1\]: ")
    return c


@pytest.mark.parametrize("word", ["exit", "quit"])
def test_exit_and_quit_end_a_console_session(word):
    c = console()
    try:
        c.sendline("x = 6 * 7")
        c.expect(r"In \[2\]: ")
        c.sendline("x")
        c.expect(r"In \[3\]: ")
        assert "Out[2]: 42" in c.before
        c.sendline(word)
        assert c.expect([pexpect.EOF, r"In \[4\]: "]) == 0, c.before
        assert "Shutting down kernel" in c.before
    finally:
        c.close(force=True)
    assert c.exitstatus == 0


def test_exit_payload_and_is_complete_through_a_client():
    k = start_kernel()
    try:
        r = k.execute("y = 1\nexit")
        assert r.status == "ok"
        assert r.content["payload"] == [{"source": "ask_exit", "keepkernel": False}]
        # the workspace is untouched: the front end, not the kernel, ends the session
        assert k.execute("print y").stream("stdout") == "1\n"

        def complete(code):
            return k.request("is_complete_request", {"code": code}).content["status"]
        assert complete("x = [1,") == "incomplete"
        assert complete("model m {\n  dv/dt = -v") == "incomplete"
        assert complete("total = 1 + \\") == "incomplete"
        # a string cannot span lines (language.md): more lines cannot close it
        assert complete('print "open') == "invalid"
        assert complete("print 1)") == "invalid"
        assert complete("print 1") == "complete"
    finally:
        k.stop()
