"""Pinyin initials of a name, for type-ahead by letters: 华为技术 → hwjs."""

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """The first letter of each character's pinyin (heteronyms by pypinyin's phrase dictionary); Latin kept."""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars.lower()))
    return "".join(letter[:1] for letter in letters if letter and letter[0].isalnum())[:100].lower()
