"""Chinese numerals written as digits, so that 第八工程局 = 第8工程局 and 三六零 = 360.

Only runs that are surely numbers are rewritten: after 第, a run with 十 in it, or two or more
digit characters (五八, 三六零). A lone 一 or 三 stays, since it is mostly part of a word (一汽,
三亚, 九江); 万, 百 and 千 are never read as numbers (万科, 百度, 千禾).
"""

import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
RUN = re.compile(r"(?P<ordinal>第)?(?P<run>[〇零一二两三四五六七八九十]+)")


def _value(run: str) -> str:
    if "十" not in run:
        return "".join(str(DIGITS[ch]) for ch in run)
    tens, _, units = run.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return run  # not a plain 1-99 number (e.g. 十十): leave it
    return str((DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0))


def _replace(found: re.Match) -> str:
    run = found["run"]
    if not found["ordinal"] and len(run) < 2:
        return found[0]
    if not found["ordinal"] and "两" in run:
        return found[0]  # 两 is a word (两岸, 两江) unless it follows 第
    return (found["ordinal"] or "") + _value(run)


def arabic_numerals(text: str) -> str:
    """Text with its Chinese numbers written in digits."""
    return RUN.sub(_replace, text)
