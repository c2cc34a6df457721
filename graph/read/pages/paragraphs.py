"""A trial page as the paragraphs it is made of, each knowing the line it starts on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paragraph:
    line: int  # 1-based line of the paragraph's first line
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def split_at(self, index: int) -> tuple[Paragraph, Paragraph]:
        """The paragraph cut before its line ``index`` (a label glued to the text above)."""
        return (
            Paragraph(self.line, self.lines[:index]),
            Paragraph(self.line + index, self.lines[index:]),
        )


def paragraphs(text: str) -> list[Paragraph]:
    """Split text into paragraphs separated by blank lines; lines keep their indentation.

    >>> [(p.line, p.text) for p in paragraphs("a\\n  b  \\n\\n\\nc\\n")]
    [(1, 'a\\n  b'), (5, 'c')]
    """
    found: list[Paragraph] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            found.append(Paragraph(start, tuple(current)))
            current = []
    if current:
        found.append(Paragraph(start, tuple(current)))
    return found
