"""A readable table of a class's results for the terminal."""

from autograder.grade.results import SubmissionResult


def print_summary(results: list[SubmissionResult], width: int = 60) -> None:
    if not results:
        print("no submissions")
        return
    name_w = max(10, *(len(r.student_id) for r in results))
    print(f"{'student':<{name_w}}  {'score':>11}  {'status':<8}  note")
    print("-" * (name_w + 2 + 11 + 2 + 8 + 2 + width))
    for r in sorted(results, key=lambda r: r.student_id):
        note = r.reason or _first_failure(r)
        if len(note) > width:
            note = note[: width - 3] + "..."
        print(f"{r.student_id:<{name_w}}  {r.score:>5g} / {r.max_score:<3g}  {r.status:<8}  {note}")
    graded = [r for r in results if r.status == "graded"]
    mean = sum(r.score for r in results) / len(results)
    print(f"\n{len(results)} submissions, {len(graded)} graded cleanly, mean score {mean:.2f} / {results[0].max_score:g}")


def _first_failure(result: SubmissionResult) -> str:
    for q in result.questions:
        if q.score < q.max_score and not q.manual:
            return f"{q.question}: {q.feedback.splitlines()[0]}"
    return "all checks passed"
