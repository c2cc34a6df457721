"""Plain text from the registry's markdown-flavoured text.

The registry stores free text as CommonMark, so ``<`` arrives as ``\\<``; the product serves
plain text, so every backslash-escape of an ASCII punctuation character is undone.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")


def unescape(text: str) -> str:
    r"""Remove markdown backslash-escapes.

    >>> unescape(r"score \< 2 points, 10\^7 cells, a\\b")
    'score < 2 points, 10^7 cells, a\\b'
    """
    return _ESCAPE.sub(r"\1", text)


def fold(text: str) -> str:
    """Fold every run of white space to one space and strip the ends.

    >>> fold("  a\\n\\n b\\tc ")
    'a b c'
    """
    return _SPACE.sub(" ", text).strip()


def clean(text: str | None) -> str | None:
    """Plain text of a free-text value: unescaped, line ends normalised, ``None`` if blank.

    >>> clean("  a \\\\< b\\r\\n ") is None, clean(" \\n ")
    (False, None)
    """
    if text is None:
        return None
    text = unescape(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text or None
