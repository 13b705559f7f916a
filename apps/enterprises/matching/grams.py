"""Character bigrams: the terms of the inverted name index (research: anchors-entity-resolution §4.5)."""

from apps.enterprises.matching.normalize import parse_name


def bigrams(text: str) -> set[str]:
    """Every pair of adjacent characters; a one-character text is its own term."""
    if len(text) == 1:
        return {text}
    return {text[i : i + 2] for i in range(len(text) - 1)}


def name_grams(name: str) -> set[str]:
    """The terms indexed for a name: bigrams of everything but its organisation form."""
    return bigrams(parse_name(name).indexed_text)
