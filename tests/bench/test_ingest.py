"""The ingest benchmark counts the memory of the processes a load starts to read ahead."""

from __future__ import annotations

import subprocess
import sys

from bench.ingest import ChildPeaks


def test_the_peak_memory_of_each_child_process_is_found() -> None:
    hold = (
        "import time; block = bytearray(80 << 20); block[::4096] = b'x' * len(block[::4096]); time.sleep(1)"
    )
    with ChildPeaks(interval=0.05) as children:
        first = subprocess.Popen([sys.executable, "-c", hold])
        second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"])
        first.wait()
        second.wait()
    assert set(children.peaks) == {first.pid, second.pid}
    assert children.peaks[first.pid] > 80 * 1024 > children.peaks[second.pid] > 0
