"""Plain text from the registry's markdown-flavoured text.

The registry stores free text as CommonMark, so ``<`` arrives as ``\\<``; the product serves
plain text, so every backslash-escape of an ASCII punctuation character is undone. Some
records hold UTF-8 that was once decoded as Windows-1252 ("MÃ¼nchen"); such runs are repaired.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# UTF-8 read as Windows-1252: a lead byte shown as "Ã", "Â", "â" ... followed by continuation
# bytes shown as Latin-1 or Windows-1252 characters ("MÃ¼nchen", "YescartaÂ®").
_CONTINUATION = "".join(sorted({bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0)} - {""}))
_MOJIBAKE = re.compile(f"[\xc2-\xf4][{re.escape(_CONTINUATION)}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unescape(text: str) -> str:
    r"""Remove markdown backslash-escapes.

    >>> unescape(r"score \< 2 points, 10\^7 cells, a\\b")
    'score < 2 points, 10^7 cells, a\\b'
    """
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252, run by run; other text is kept.

    >>> repair_mojibake("MÃ¼nchen, YescartaÂ®, SÃO PAULO, ≥ 18")
    'München, Yescarta®, SÃO PAULO, ≥ 18'
    """

    def repaired(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match.group(0)

    return _MOJIBAKE.sub(repaired, text) if max(text, default="\x00") >= "\xc2" else text


def lone_surrogate(text: str) -> int | None:
    """Where ``text`` holds a lone surrogate, a code point no UTF-8 output can hold (JSON's
    ``"\\ud800"`` makes one); ``None`` if it holds none.

    >>> lone_surrogate("ab\\ud800c"), lone_surrogate("a \\U0001f600")
    (2, None)
    """
    found = _SURROGATE.search(text)
    return None if found is None else found.start()


def fold(text: str) -> str:
    """Fold every run of white space to one space and strip the ends.

    >>> fold("  a\\n\\n b\\tc ")
    'a b c'
    """
    return " ".join(text.split())  # str.split splits at the white space that \s matches


def clean(text: str | None) -> str | None:
    """Plain text of a free-text value: unescaped, line ends normalised, ``None`` if blank.

    >>> clean("  a \\\\< b\\r\\n ") is None, clean(" \\n ")
    (False, None)
    """
    if text is None:
        return None
    # Each step only when it has something to do: most values are short plain ASCII.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unescape(text)
    if not text.isascii():
        text = repair_mojibake(text)
    return text.strip() or None
