"""The examples of docs/api.md run as written on a plain machine: every jq program compiles (jq 1.6
included, where `label` is a keyword), and nothing needs a tool many machines lack."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _jq_programs() -> list[str]:
    return re.findall(r"jq(?: -r)? '([^']+)'", DOC.read_text()) + re.findall(r"jq -r (\.\w+)", DOC.read_text())


def test_the_examples_have_jq_programs_to_check():
    assert len(_jq_programs()) >= 5


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
@pytest.mark.parametrize("program", _jq_programs())
def test_every_jq_program_compiles(program):
    # Exit status 3 is a compile error; running over {} may fail otherwise (5), which is fine here.
    done = subprocess.run(["jq", program], input="{}", capture_output=True, text=True, timeout=10, check=False)
    assert done.returncode != 3 and "compile error" not in done.stderr, done.stderr


def test_idempotency_keys_come_from_something_every_machine_has():
    text = DOC.read_text()
    assert "uuidgen" not in text
    assert "Idempotency-Key: $(key)" in text and "key() { python3 -c 'import uuid; print(uuid.uuid4())'; }" in text
