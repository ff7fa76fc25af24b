"""What of a check's diagnosis a student may read. Kept free of heavy imports: the
Gradescope container calls it once per submission."""

from __future__ import annotations

import re

# A hidden region of a test cell, whole (a traceback may quote it).
_HIDDEN_BLOCK = re.compile(r"^[^\n]*BEGIN HIDDEN TESTS.*?(?:END HIDDEN TESTS[^\n]*|\Z)", re.S | re.M)
# Lines that would name the checks' modules or quote a hidden check call.
_HIDDEN_LINE = re.compile(
    r"BEGIN HIDDEN TESTS|END HIDDEN TESTS|autograder[./](?:checks|harness)|\bcheck_\w+\s*\(|^\s*File \".*\", line \d+",
)
# "expected <reference>, received <theirs>": keep what the student returned, hide the
# reference (and the relative error, from which a scalar reference could be worked back).
# "expected shape (3,)" stays: the prompt states shapes anyway.
_EXPECTED = re.compile(
    r"\bexpected\s+(?=[-+\[(\d.]|array\b|nan\b|inf\b|True\b|False\b|['\"])"
    r"(.+?)(?=,?\s*(?:received|got|but)\b|\s*\(relative error|\n|$)",
    re.S,
)
_REL_ERROR = re.compile(r"relative error [^,)]*,\s*")


def student_safe(text: str) -> str:
    """What of a diagnosis a student may read: no hidden-test source, no check module
    paths, no reference values."""
    if not text:
        return ""
    text = _HIDDEN_BLOCK.sub("", text)
    lines = [line for line in text.splitlines() if not _HIDDEN_LINE.search(line)]
    text = "\n".join(lines)
    text = _EXPECTED.sub("expected a different value", text)
    text = _REL_ERROR.sub("", text)
    return text.strip()


# A spreadsheet reads a cell that begins with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a
    leading apostrophe (OWASP's advice for CSV injection). Numbers we write go as they are."""
    text = "" if text is None else str(text)
    if not text.startswith(_FORMULA_START) or _is_number(text):
        return text
    return "'" + text


def _is_number(text: str) -> bool:
    """A plain number ("-0.5", "+3"): a spreadsheet reads it as that number and nothing else."""
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan")
