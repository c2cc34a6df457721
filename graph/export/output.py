"""Where an export's bytes go: UTF-8 chunks of a steady size, and files written atomically.

Every writer is a generator of text pieces (a line per node, per edge); :func:`encoded` joins
them into chunks of about :data:`CHUNK_SIZE` bytes. The same chunks feed a file
(:func:`write_file`), any binary stream (:func:`write_stream`) or an HTTP response, so memory
stays flat: one chunk at a time, whatever the size of the graph.

A file is written to a temporary file beside it and moved into place by ``os.replace`` only
once every byte is written and synced; on any exception, ``KeyboardInterrupt`` included, the
temporary file is removed. A failed or interrupted export leaves no partial file behind, and an
existing file at the path is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1 << 16


def encoded(
    pieces: Iterable[str], *, errors: str = "strict", chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """``pieces`` as UTF-8, joined into chunks of about ``chunk_size`` characters.

    >>> list(encoded(["<a>", "é", "</a>"], chunk_size=4))
    [b'<a>\\xc3\\xa9', b'</a>']
    """
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= chunk_size:
            yield "".join(buffer).encode("utf-8", errors)
            buffer.clear()
            size = 0
    if buffer:
        yield "".join(buffer).encode("utf-8", errors)


def write_stream(
    chunks: Iterable[bytes], stream: BinaryIO, progress: Callable[[int], None] | None = None
) -> int:
    """Write ``chunks`` to ``stream``; the number of bytes written (``progress`` hears it
    after every chunk).

    >>> import io
    >>> write_stream([b"ab", b"c"], io.BytesIO())
    3
    """
    written = 0
    for chunk in chunks:
        stream.write(chunk)
        written += len(chunk)
        if progress is not None:
            progress(written)
    return written


def write_file(
    chunks: Iterable[bytes], path: str | os.PathLike[str], progress: Callable[[int], None] | None = None
) -> int:
    """Write ``chunks`` to ``path`` atomically; the number of bytes written (``progress``
    hears it after every chunk).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> def broken():
    ...     yield b"half a file"
    ...     raise RuntimeError("the writer failed")
    >>> write_file(broken(), folder / "out.graphml")
    Traceback (most recent call last):
    RuntimeError: the writer failed
    >>> sorted(folder.iterdir())
    []
    >>> write_file([b"whole"], folder / "out.graphml")
    5
    >>> [path.name for path in folder.iterdir()]
    ['out.graphml']
    """
    target = Path(path)
    # Opened with "x" and a random name: never someone else's file, and the usual permissions.
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        with open(temporary, "xb") as stream:
            written = write_stream(chunks, stream, progress)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        if isinstance(chunks, Iterator) and hasattr(chunks, "close"):
            chunks.close()  # let a suspended writer run its own clean-up now, not at collection
        raise
    return written
