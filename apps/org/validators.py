import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of the four classes (A–Z, a–z, 0–9, anything else incl. Chinese) the password uses."""
    letters_and_digits = string.ascii_letters + string.digits
    return sum(
        (
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c in string.digits for c in password),
            any(c not in letters_and_digits for c in password),
        )
    )


class CharacterClassesValidator:
    """等保 password complexity: at least N of upper case, lower case, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "密码须包含大写字母、小写字母、数字、符号中的至少 %(count)d 类。",
            "密码须包含大写字母、小写字母、数字、符号中的至少 %(count)d 类。",
            self.min_classes,
        ) % {"count": self.min_classes}
