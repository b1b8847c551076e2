"""The command reference (docs/commands.md) is the kernel's own help: the file equals what
`neurodyn reference` prints, and through a real client `help CMD` and inspect (Shift-Tab)
on each command show exactly the text of its section."""
import os
import re
import subprocess

import pytest

from conftest import start_kernel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, "build", "neurodyn")
REFERENCE = os.path.join(ROOT, "docs", "commands.md")


def sections():
    """{command: help text} from the fenced blocks of docs/commands.md."""
    with open(REFERENCE, encoding="utf-8") as f:
        text = f.read()
    return {m.group(1): m.group(2) for m in
            re.finditer(r"^## (\S+)\n\n```text\n(.*?)```\n", text, re.S | re.M)}


def test_reference_file_is_what_the_kernel_generates():
    out = subprocess.run([BINARY, "reference"], check=True, capture_output=True).stdout
    with open(REFERENCE, "rb") as f:
        assert f.read() == out, "docs/commands.md is stale: run build/neurodyn reference > docs/commands.md"


@pytest.fixture(scope="module")
def kernel():
    k = start_kernel()
    yield k
    k.stop()


def test_every_command_has_a_section_with_usage_and_an_example():
    s = sections()
    assert len(s) >= 30
    for name, text in s.items():
        assert name in text.splitlines()[0], name
        assert "Examples:" in text or name in ("clear",), name


def test_help_and_inspect_show_the_reference_text(kernel):
    for name, text in sections().items():
        r = kernel.execute(f"help {name}")
        assert r.status == "ok", r.content
        shown = [m["content"]["data"]["text/plain"] for m in r.outputs
                 if m["msg_type"] in ("display_data", "execute_result")]
        pages = [p["data"]["text/plain"] for p in r.content.get("payload", [])
                 if "data" in p]
        got = (shown + pages)[0].rstrip("\n")
        assert got == text.rstrip("\n"), name
        c = kernel.request("inspect_request", {"code": name, "cursor_pos": len(name),
                                               "detail_level": 0}).content
        assert c["found"] is True, name
        assert c["data"]["text/plain"].rstrip("\n") == text.rstrip("\n"), name
