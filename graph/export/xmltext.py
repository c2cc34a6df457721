"""Text made safe for XML 1.0: characters XML forbids replaced, markup escaped.

XML 1.0 allows tab, line feed, carriage return and the code points from U+0020 up, except the
surrogates and U+FFFE, U+FFFF. Every other character (a control character from a registry
record, a lone surrogate from a JSON escape) is replaced by U+FFFD, so the text stays readable
and its length is kept. A carriage return is written as ``&#13;`` because XML parsers turn a
literal one into a line feed; in attribute values line feed and tab are written as character
references too, because attribute-value normalisation would turn them into spaces.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The UTF-8 bytes of what xml_text changes besides markup: the control characters but tab and
# line feed, and carriage return; U+FFFE and U+FFFF are their own three bytes each.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20)])
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_ATTRIBUTE_SPECIAL = re.compile("[&<>\"'\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids replaced by U+FFFD.

    >>> xml_safe("a\\x00b\\tc")
    'a\\ufffdb\\tc'
    """
    return _FORBIDDEN.sub(REPLACEMENT, text)


def xml_text(text: str) -> str:
    """``text`` as the content of an element.

    >>> xml_text("x < y & \\"z\\"\\r\\n\\x07")
    'x &lt; y &amp; "z"&#13;\\n\\ufffd'
    """
    if _TEXT_SPECIAL.search(text) is None:  # most values: no copy
        return text
    text = xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def xml_attribute(text: str) -> str:
    """``text`` as the value of a double-quoted attribute.

    >>> xml_attribute("it's \\"a\\"\\nb")
    'it&apos;s &quot;a&quot;&#10;b'
    """
    if _ATTRIBUTE_SPECIAL.search(text) is None:
        return text
    text = xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;").replace("'", "&apos;")
    return text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def has_escaped_bytes(written: bytes) -> bool:
    """True if UTF-8 ``written`` holds a character :func:`xml_text` would replace or write as a
    reference, markup aside: a control character other than tab and line feed, a carriage
    return, U+FFFE or U+FFFF; a few times faster than a regular expression's search.

    >>> [has_escaped_bytes(text.encode()) for text in ("a\\tb\\nc <&>", "a\\rb", "\\x07", "\\uffff")]
    [False, True, True, True]
    """
    if len(written.translate(None, _CONTROL_BYTES)) != len(written):
        return True
    return any(character in written for character in _NONCHARACTERS)
