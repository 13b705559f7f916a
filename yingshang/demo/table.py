"""Plain-text tables whose columns line up in a terminal even with Chinese (double-width) characters."""

import unicodedata


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """The rows under their headers, columns padded to the widest cell and separated by two spaces."""
    widths = [max(display_width(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in (headers, *rows):
        cells = [str(cell) + " " * (width - display_width(str(cell))) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
