"""Byte strings appended to an unnamed temporary file while a graph is built, so that the
builder's memory holds a few bytes per node and edge; mapped into memory when the build is done."""

from __future__ import annotations

import mmap
import tempfile
from collections.abc import Iterable


class Spool:
    """Byte strings appended to an unnamed temporary file; mapped read-only when done."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="trialgraph-")  # noqa: SIM115 - closed in done()
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def append(self, blob: bytes) -> int:
        """Write ``blob``; where it starts."""
        start = self.size
        self.file.write(blob)
        self.size += len(blob)
        return start

    def extend(self, blobs: Iterable[bytes]) -> None:
        """Write each of ``blobs`` in turn, at once."""
        joined = b"".join(blobs)
        self.file.write(joined)
        self.size += len(joined)

    def read(self, start: int, length: int) -> bytes:
        self.file.flush()
        self.file.seek(start)
        found = self.file.read(length)
        self.file.seek(self.size)
        return found

    def close(self) -> None:
        """Drop what was written (a build given up)."""
        self.file.close()

    def done(self) -> mmap.mmap | bytes:
        """The bytes written, mapped from the file (which is then closed)."""
        self.file.flush()
        mapped: mmap.mmap | bytes = (
            mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ) if self.size else b""
        )
        self.file.close()
        return mapped
