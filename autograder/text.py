"""Text that came from a submission, made safe once where it enters the trusted process.

Student ids (folder names), file names, notebook fields and whatever the sandbox sends back
can hold anything: bytes that are not UTF-8 (lone surrogates such as '\\udc80' once decoded),
terminal escape sequences, control characters, bidirectional overrides. ``clean`` turns them
into plain text that the CSV, the gradebook, the pages and the terminal all accept.
"""

from __future__ import annotations

import re

# Surrogates (never valid UTF-8), C0 controls but tab and newline, DEL, C1 controls, and
# Unicode's bidirectional overrides.
_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value, limit: int | None = None, oneline: bool = False) -> str:
    """``value`` as printable, valid UTF-8 text; invalid or unsafe characters become '\ufffd'."""
    text = value if isinstance(value, str) else str(value)
    text = _UNSAFE.sub("\ufffd", text)
    if oneline:
        text = text.replace("\n", " ").replace("\t", " ")
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 3)] + "..."
    return text

