"""docs/screenshot.py, which takes the README's picture, still runs from a clean start."""

import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_readme_screenshot_can_be_taken_again(browser, tmp_path):
    # `browser` only for its checks: without Chromium this skips (and fails under CI=true).
    out = tmp_path / "today.png"
    done = subprocess.run(
        [sys.executable, "docs/screenshot.py", "--out", str(out), "--days", "30"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    header = out.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == 1280 and height > 800, (width, height)
