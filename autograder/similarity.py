"""``python -m autograder similarity <assignment>``: pairs of submissions whose code looks
alike, for a TA to read. Never a penalty: shared code has innocent causes (lecture examples,
a study group that discussed an idea), and only a person can tell.

What is compared is the code each student wrote: the code cells of the submission with every
line of the released notebook taken out (starter code, docstrings, imports, public tests).
Markdown answers are not compared. The comparison is copydetect's (winnowing over token
fingerprints, as MOSS does): variable and function names, comments and whitespace do not
count, and reordering functions does not hide shared code. The release's own fingerprints
are also excluded as boilerplate.

Writes ``similarity/<assignment>/similarity.html`` (a ranked table and, for the top pairs,
both students' code side by side with the overlapping code highlighted) and ``pairs.csv``.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

NOISE = 25  # copydetect's noise threshold: matches shorter than this many filtered characters never count
GUARANTEE = 30  # matches this long are always found
MAX_CODE_CHARS = 200_000  # per submission; a notebook with more is compared on its first part
CELL_MARK = "# ---- "


@dataclass
class Code:
    student: str
    text: str
    fingerprint: object = None


@dataclass
class Pair:
    a: str
    b: str
    overlap: int  # filtered tokens in common (in a)
    sim_a: float  # share of a's code found in b
    sim_b: float
    slices_a: object
    slices_b: object

    @property
    def score(self) -> float:
        """Ranking: the smaller share, so a long submission that contains a short one ranks
        below two that share most of their code."""
        return min(self.sim_a, self.sim_b)


def _source_text(cell) -> str | None:
    src = cell.get("source", "") if isinstance(cell, dict) else None
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else None


def _grade_id(cell) -> str:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nb = meta.get("nbgrader") if isinstance(meta, dict) else None
    gid = nb.get("grade_id") if isinstance(nb, dict) else None
    return gid if isinstance(gid, str) else ""


def release_code(path: Path) -> tuple[set[str], str, set[str]]:
    """(stripped lines of the release's code cells, the release's code, grade ids of cells
    that are not answers: tests, checks, locked cells)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines, texts, fixed = set(), [], set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        text = _source_text(cell) or ""
        texts.append(text)
        lines.update(line.strip() for line in text.splitlines() if line.strip())
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if _grade_id(cell) and not meta.get("solution"):
            fixed.add(_grade_id(cell))
    return lines, "\n".join(texts), fixed


def student_code(path: Path, release_lines: set[str], fixed: set[str]) -> str:
    """The code a student wrote, cell by cell, without the release's lines. Raises
    ValueError with a reason when the file is not a readable notebook."""
    raw = path.read_bytes()
    if len(raw) > 100 * 2**20:
        raise ValueError("the notebook is larger than 100 MB")
    try:
        nb = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValueError("not a readable notebook (broken JSON or not UTF-8)") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a notebook (no cells)")
    parts = []
    for n, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or _grade_id(cell) in fixed:
            continue
        text = _source_text(cell)
        if not text:
            continue
        kept = [line for line in text.splitlines()
                if line.strip() and line.strip() not in release_lines and not line.lstrip().startswith("#")]
        if kept:
            label = _grade_id(cell) or f"cell {n + 1}"
            parts.append(f"{CELL_MARK}{label}\n" + "\n".join(kept))
    return "\n".join(parts)[:MAX_CODE_CHARS]


def fingerprint(text: str, boilerplate=None):
    from copydetect import CodeFingerprint

    return CodeFingerprint("code.py", NOISE, GUARANTEE - NOISE + 1, boilerplate=boilerplate,
                           language="python", fp=io.StringIO(text))


def compare_all(codes: list[Code]) -> list[Pair]:
    from copydetect import compare_files

    pairs = []
    for x, y in itertools.combinations(codes, 2):
        overlap, (sa, sb), (la, lb) = compare_files(x.fingerprint, y.fingerprint)
        if overlap:
            pairs.append(Pair(x.student, y.student, int(overlap), float(sa), float(sb), la, lb))
    pairs.sort(key=lambda p: (-p.score, -p.overlap, p.a, p.b))
    return pairs


def highlight(text: str, slices) -> str:
    """``text`` as HTML with the overlapping spans in <mark>; everything escaped."""
    out, at = [], 0
    spans = sorted(zip(*slices)) if len(slices) and len(slices[0]) else []
    for start, end in spans:
        start, end = max(int(start), at), min(int(end), len(text))
        if end <= start:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


PAGE_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.6rem 1rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
pre{background:#fafafa;border:1px solid #ddd;padding:.6rem;overflow:auto;font-size:12px;white-space:pre-wrap;
word-break:break-word}mark{background:#ffd54f}h2{margin-top:2.5rem}
"""


def render(assignment: str, codes: dict[str, Code], pairs: list[Pair], skipped: list[str], top: int) -> str:
    e = html.escape
    rows = []
    for i, p in enumerate(pairs[:max(top * 5, top)], start=1):
        link = f'<a href="#pair-{i}">{i}</a>' if i <= top else str(i)
        rows.append(f"<tr><td class=num>{link}</td><td>{e(p.a)}</td><td>{e(p.b)}</td>"
                    f"<td class=num>{p.sim_a:.0%}</td><td class=num>{p.sim_b:.0%}</td>"
                    f"<td class=num>{p.overlap}</td></tr>")
    details = []
    for i, p in enumerate(pairs[:top], start=1):
        details.append(
            f'<h2 id="pair-{i}">{i}. {e(p.a)} and {e(p.b)}</h2>'
            f"<p>{p.sim_a:.0%} of {e(p.a)}'s code and {p.sim_b:.0%} of {e(p.b)}'s overlap "
            f"({p.overlap} tokens). Highlighted: the code found in both.</p>"
            f'<div class=pair><div><h3>{e(p.a)}</h3><pre>{highlight(codes[p.a].text, p.slices_a)}</pre></div>'
            f'<div><h3>{e(p.b)}</h3><pre>{highlight(codes[p.b].text, p.slices_b)}</pre></div></div>')
    skipped_html = ("<h2>Not compared</h2><ul>" + "".join(f"<li>{e(s)}</li>" for s in skipped) + "</ul>"
                    if skipped else "")
    empty = "" if pairs else "<p>No two submissions share code above the noise threshold.</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Similar code: {e(assignment)}</title><style>{PAGE_CSS}</style></head><body>
<h1>Similar code in {e(assignment)}</h1>
<p class=note><strong>For review, not a verdict.</strong> A high share means two submissions contain the
same code once names, comments, spacing and the order of functions are set aside. It does not say who
copied whom, or whether anyone did: read both, and talk to the students before anything else.
The released notebook's code (starter code, docstrings, tests) is removed before comparing; matches
shorter than {NOISE} characters of code are ignored.</p>
<p>{len(codes)} submissions compared, {len(pairs)} pairs share some code.</p>
{empty}
<table><thead><tr><th>rank</th><th>student</th><th>student</th><th>share of first</th>
<th>share of second</th><th>tokens in common</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
{''.join(details)}
{skipped_html}
</body></html>
"""


def run_similarity(course: Path, assignment: str, submitted: Path, out: Path, top: int = 20
                   ) -> tuple[list[Pair], list[str], Path]:
    import numpy as np

    from autograder.export.course import atomic_write
    from autograder.export.safe import csv_cell
    from autograder.grade.submission import discover

    release = course / "release" / assignment / f"{assignment}.ipynb"
    if not release.exists():
        raise SystemExit(f"no released notebook at {release}: run make release first")
    lines, release_text, fixed = release_code(release)
    boilerplate = np.array(sorted(fingerprint(release_text).hashes))
    codes: dict[str, Code] = {}
    skipped: list[str] = []
    for sub in discover(submitted, assignment, f"{assignment}.ipynb"):
        if sub.path is None:
            skipped.append(f"{sub.student_id}: {sub.problem}")
            continue
        try:
            text = student_code(sub.path, lines, fixed)
        except (ValueError, OSError) as exc:
            skipped.append(f"{sub.student_id}: {exc}")
            continue
        if not text.strip():
            skipped.append(f"{sub.student_id}: no code of their own (the starter code only)")
            continue
        codes[sub.student_id] = Code(sub.student_id, text, fingerprint(text, boilerplate))
    pairs = compare_all(list(codes.values()))
    page = out / "similarity.html"
    atomic_write(page, render(assignment, codes, pairs, skipped, top))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["rank", "student_a", "student_b", "share_a", "share_b", "tokens_in_common"])
    for i, p in enumerate(pairs, start=1):
        w.writerow([i, csv_cell(p.a), csv_cell(p.b), f"{p.sim_a:.3f}", f"{p.sim_b:.3f}", p.overlap])
    atomic_write(out / "pairs.csv", buf.getvalue())
    return pairs, skipped, page


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "similarity", help="pairs of submissions with similar code, for a TA to review",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("assignment", help="assignment id, e.g. 01-vectors")
    p.add_argument("--course", default=".", help="course root (default: .)")
    p.add_argument("--submitted", type=Path, default=None, help="submissions (default: <course>/submitted)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: <course>/similarity/<assignment>)")
    p.add_argument("--top", type=int, default=20, help="pairs shown side by side (default 20)")
    p.set_defaults(func=run)


def run(args) -> int:
    course = Path(args.course)
    submitted = args.submitted or course / "submitted"
    if not submitted.is_dir():
        raise SystemExit(f"no submissions at {submitted} (pass --submitted)")
    out = args.out or course / "similarity" / args.assignment
    pairs, skipped, page = run_similarity(course, args.assignment, submitted, out, args.top)
    for s in skipped:
        print(f"not compared: {s}")
    for i, p in enumerate(pairs[:10], start=1):
        print(f"{i:>3}. {p.a} / {p.b}: {p.sim_a:.0%} and {p.sim_b:.0%} shared ({p.overlap} tokens)")
    print(f"similarity: {len(pairs)} pair(s) share code; review them in {page} (for review, not a verdict)")
    return 0
