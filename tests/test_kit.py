"""The check kit's contract: every check declares its tolerance, judge kind and catalogue of
mistakes; the declarations agree with the catalogues, the prompts and the class report."""

import importlib
import json
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import tests.catalogues as catalogues
from autograder.checks import load_all
from autograder.checks._kit import GENERIC_MISTAKES, KINDS, Tolerance

REGISTRY = load_all()
ROOT = Path(__file__).resolve().parents[1]


def _catalogued() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(catalogues.__path__):
        module = importlib.import_module(f"tests.catalogues.{info.name}")
        for check_id, items in getattr(module, "MISTAKES", {}).items():
            out.setdefault(check_id, set()).update(item[0] for item in items)
    return out


CATALOGUED = _catalogued()


@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_every_check_declares_tolerance_kind_and_mistakes(check_id):
    check = REGISTRY[check_id]
    assert isinstance(check.tolerance, Tolerance), "no tolerance declared"
    assert check.kind in KINDS
    assert check.mistakes, "no catalogue of mistakes declared"
    for mistake in check.mistakes:
        assert mistake.name and mistake.message.strip(), mistake


@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_every_declared_mistake_is_catalogued(check_id):
    missing = REGISTRY[check_id].mistake_names - CATALOGUED.get(check_id, set())
    assert not missing, f"declared but never shown by a catalogue entry: {sorted(missing)}"


@pytest.mark.parametrize("check_id", sorted(CATALOGUED))
def test_every_catalogue_entry_names_a_declared_mistake(check_id):
    check = REGISTRY[check_id]
    unknown = CATALOGUED[check_id] - check.mistake_names - set(GENERIC_MISTAKES)
    assert not unknown, f"catalogued but not declared by the check: {sorted(unknown)}"


def _hidden_cells():
    """(check id, docstring) for every hidden test cell of every source notebook."""
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"])
            if "BEGIN HIDDEN TESTS" not in text:
                continue
            doc = re.match(r'\s*"""(.*?)"""', text, re.S)
            for topic, name in re.findall(r"\b(\w+)\.check_(\w+)\(", text):
                yield pytest.param(f"{topic}.{name}", doc.group(1) if doc else "", id=f"{path.stem}:{topic}.{name}")


@pytest.mark.parametrize("check_id,doc", list(_hidden_cells()))
def test_hidden_cell_docstring_states_the_checks_tolerance(check_id, doc):
    tolerance = REGISTRY[check_id].tolerance
    stated = re.findall(r"(?:tolerance|within)\s+(\S+?%|\d(?:\.\d+)?e-\d+)", doc)
    if tolerance.measure in ("exact", "ranking") or REGISTRY[check_id].gap:
        # exact answers (and the readiness quiz's typed numbers) state no tolerance
        assert not stated, f"the docstring states a tolerance {stated} for an exact check"
        return
    assert stated, f"the docstring does not state the tolerance {tolerance.stated}: {doc!r}"
    assert {s.replace("e-0", "e-") for s in stated} == {tolerance.stated}, doc


@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_summary_states_the_checks_tolerance(check_id):
    check = REGISTRY[check_id]
    stated = {s.replace("e-0", "e-") for s in re.findall(r"tolerance\s+(\d(?:\.\d+)?e-\d+)", check.summary)}
    assert stated <= {check.tolerance.stated}, check.summary


def test_report_phrase_is_the_declared_message():
    from autograder.report.analytics import Phrases, class_phrase

    phrases = Phrases()
    for check_id, check in REGISTRY.items():
        for name in check.mistake_names:
            declared = check.declared(name)
            assert phrases.phrase(name, [check_id], "some feedback") == class_phrase(declared.message), \
                (check_id, name)


def test_tolerance_is_stated_as_the_prompts_state_it():
    assert Tolerance(1e-8).stated == "1e-8"
    assert Tolerance(1e-4, "scale").stated == "1e-4"
    assert Tolerance(0.01, "close").stated == "1%"
    assert Tolerance(0.0, "exact", floor=0.0).stated == "exact"
    with pytest.raises(ValueError):
        Tolerance(1e-8, "fuzzy")


def test_blank_answer_says_not_answered_in_every_code_check():
    def blank(*args, **kwargs):
        raise NotImplementedError()

    for check_id, check in REGISTRY.items():
        if check.probe != "call":
            continue
        verdict = check.run(blank, np.random.default_rng(0))
        assert not verdict.passed and verdict.message.startswith("not answered yet"), (check_id, verdict.message)


def test_grading_requirements_and_preload_come_from_the_lock_file_and_one_setting():
    from autograder import course_settings
    from autograder.build.release import GRADING_REQUIREMENTS
    from autograder.sandbox.warm import HEAVY_MODULES

    lock = (ROOT / "requirements.lock").read_text().split()
    assert GRADING_REQUIREMENTS == course_settings.grading_requirements()
    assert all(pin in lock for pin in GRADING_REQUIREMENTS)
    assert "torch==2.13.0" in GRADING_REQUIREMENTS
    assert HEAVY_MODULES == course_settings.preload_modules()
    assert "sklearn" in HEAVY_MODULES and "scikit-learn" not in HEAVY_MODULES


def test_the_package_never_imports_from_tests():
    for path in (ROOT / "autograder").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"^\s*(from|import)\s+tests\b", text, re.M), path
        if path.name != "scaffold.py":  # which writes a new catalogue there, and reads none
            assert '"tests" / "catalogues"' not in text, path


def test_demo_answers_fail_with_their_mistake():
    from autograder import demo_answers

    for check_id, entries in demo_answers.MISTAKES.items():
        check = REGISTRY[check_id]
        for mistake, code, words in entries:
            namespace = {}
            exec(compile(code, "<demo>", "exec"), namespace)
            verdict = check.run(namespace[check.target], np.random.default_rng(0), code=code)
            assert verdict.mistake == mistake and words in verdict.message, (check_id, verdict.message)


def test_topics_are_discovered_from_what_registers_checks():
    from autograder.checks import topics

    assert topics() == ["attention", "compressor", "determinants", "diagnostic", "eigen",
                        "embeddings", "filters", "interpret", "interview", "lora", "matrices",
                        "movies", "networks", "norms", "numerics", "pca", "projections",
                        "quantization", "search", "songs", "spaces", "svd", "systems", "tensors",
                        "transformations", "vectors"]


def _diagnoses():
    from tests.catalogues._uncatalogued import DIAGNOSES

    for check_id, code, words in DIAGNOSES:
        yield pytest.param(check_id, code, words, id=f"{check_id}-{words}")


@pytest.mark.parametrize("check_id,code,words", list(_diagnoses()))
def test_uncatalogued_mistake_gets_a_diagnosis(check_id, code, words):
    check = REGISTRY[check_id]
    namespace = {}
    exec(compile(code, f"<uncatalogued {check_id}>", "exec"), namespace)
    for seed in (0, 1, 2):
        verdict = check.run(namespace[check.target], np.random.default_rng(seed), code=code)
        assert not verdict.passed, f"seed {seed}: an uncatalogued mistake passed"
        assert verdict.mistake not in check.mistake_names, f"seed {seed}: matched catalogued {verdict.mistake}"
        assert words in verdict.message, f"seed {seed}: {verdict.message}"
        assert " is " in verdict.message and "expected" in verdict.message, "no concrete failing entry shown"


def test_diagnose_names_the_relation():
    from autograder.checks._kit.diagnose import relation

    e = np.arange(1.0, 13.0).reshape(3, 4)
    assert "sqrt(4)" not in (relation(2 * e, e, {4}) or "")  # 2 is named as 2 first
    assert "constant factor of 4/3" in relation(e * 4 / 3, e, {4})
    assert "transpose" in relation(e.T, e)
    assert "sign is flipped" in relation(-e, e)
    assert "shifted" in relation(e + 0.25, e)
    assert "reverse order" in relation(e[::-1], e)
    assert "nan" in relation(np.where(e > 5, np.nan, e), e)
    assert relation(np.array(3.0), np.array(2.0)) is None  # a single number: no guess
    assert relation(e + np.random.default_rng(0).normal(size=e.shape), e) is None


def test_scaffold_writes_an_assignment_whose_catalogue_holds(tmp_path):
    import importlib.util

    from autograder.checks._kit import REGISTRY as registry
    from autograder.scaffold import scaffold

    written = scaffold(tmp_path, "99-scaffold-example")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "source/99-scaffold-example/99-scaffold-example.ipynb",
        "autograder/checks/scaffold_example.py",
        "tests/catalogues/scaffold_example.py",
    ]
    with pytest.raises(FileExistsError):
        scaffold(tmp_path, "99-scaffold-example")

    def load(path, name):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    try:
        load(written[1], "scaffold_example_checks")
        catalogue = load(written[2], "scaffold_example_catalogue")
        check = registry["scaffold_example.column_means"]
        assert {m for m, _, _ in catalogue.MISTAKES[check.id]} - set(GENERIC_MISTAKES) == check.mistake_names
        nb = json.loads(written[0].read_text())
        solution = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
        reference = re.sub(r"\s*### (BEGIN|END) SOLUTION", "", solution["source"])
        blank = re.sub(r"### BEGIN SOLUTION.*### END SOLUTION", "raise NotImplementedError()", solution["source"],
                       flags=re.S)
        hidden = next(c for c in nb["cells"] if "BEGIN HIDDEN TESTS" in c["source"])
        assert f"tolerance {check.tolerance.stated}" in hidden["source"]
        for code, passes in [(reference, True), (blank, False)] + [(c, True) for _, c in catalogue.CORRECT[check.id]]:
            namespace = {}
            exec("import numpy as np\n" + code, namespace)
            for seed in (0, 1, 2):
                verdict = check.run(namespace["column_means"], np.random.default_rng(seed))
                assert verdict.passed is passes, (code, verdict.message)
        for mistake, code, words in catalogue.MISTAKES[check.id]:
            namespace = {}
            exec(code, namespace)
            verdict = check.run(namespace["column_means"], np.random.default_rng(0))
            assert verdict.mistake == mistake and words in verdict.message, verdict.message
    finally:
        registry.pop("scaffold_example.column_means", None)


def test_an_exact_zero_tolerates_rounding_but_not_an_error():
    from autograder.checks._kit import Case
    from autograder.harness.probes import Outcome

    check = REGISTRY["vectors.cosine_pairwise"]
    case = Case("orthogonal vectors", {"a": np.array([1.0, 0.0, 0.0]), "b": np.array([0.0, 2.0, 0.0])})
    assert check.judge([case], [Outcome(np.asarray(3e-16))]).passed  # rounding of an orthogonal pair
    assert check.judge([case], [Outcome(np.asarray(0.0))]).passed
    assert not check.judge([case], [Outcome(np.asarray(1e-9))]).passed
    assert check.tolerance.value * check.tolerance.floor == pytest.approx(1e-12)


def test_softmax_that_subtracts_the_minimum_fails_on_an_extreme_spread():
    code = ("import numpy as np\ndef softmax(x, axis=-1):\n    e = np.exp(x - x.min(axis=axis, keepdims=True))\n"
            "    return e / e.sum(axis=axis, keepdims=True)\n")
    namespace = {}
    exec(code, namespace)
    for seed in (0, 1, 2):
        verdict = REGISTRY["attention.softmax"].run(namespace["softmax"], np.random.default_rng(seed))
        assert verdict.mistake == "unstable_softmax", verdict.message


def test_a_dependent_failure_names_its_cause():
    from autograder.checks._kit import Verdict
    from autograder.checks._kit.depends import explain_dependents

    code = {
        "cosine_similarity": "import numpy as np\ndef cosine_similarity(a, b):\n"
                             "    return float(np.sum(a * b) / np.sqrt(np.sum(a * a) * np.sum(b * b)))\n",
        "nearest_neighbours": "import numpy as np\ndef nearest_neighbours(query, items, k):\n"
                              "    s = cosine_similarity(query[None, :], items)[0]\n"
                              "    return np.argsort(-s)[:k]\n",
        "dot": "def dot(a, b):\n    return sum(x * y for x, y in zip(a, b))\n",
    }
    namespace = {}
    for text in code.values():
        exec(text, namespace)
    verdicts = {check_id: REGISTRY[check_id].run(namespace[REGISTRY[check_id].target], np.random.default_rng(0))
                for check_id in ("vectors.dot", "vectors.cosine_batched", "vectors.nearest_neighbours")}
    assert verdicts["vectors.dot"].passed and not verdicts["vectors.cosine_batched"].passed
    explained = explain_dependents(verdicts, code.get)
    message = explained["vectors.nearest_neighbours"].message
    assert message.startswith("this fails because your `cosine_similarity`, which it calls, failed its own check")
    assert "fix that first" in message
    assert explained["vectors.nearest_neighbours"].mistake == verdicts["vectors.nearest_neighbours"].mistake
    assert explained["vectors.cosine_batched"] == verdicts["vectors.cosine_batched"]  # the cause itself
    # a function that does not call the failed one keeps its own message
    alone = explain_dependents({"vectors.nearest_neighbours": verdicts["vectors.nearest_neighbours"],
                                "vectors.cosine_batched": verdicts["vectors.cosine_batched"]},
                               {"nearest_neighbours": "def nearest_neighbours(q, X, k):\n    return []\n"}.get)
    assert alone["vectors.nearest_neighbours"] == verdicts["vectors.nearest_neighbours"]
    assert Verdict(True, "") == explain_dependents({"vectors.dot": Verdict(True, "")}, code.get)["vectors.dot"]


def test_in_a_kernel_a_later_check_names_the_earlier_failure(tmp_path):
    import importlib.util

    from autograder.checks._kit import CheckFailed
    from autograder.checks._kit.check import KERNEL_FAILED, run_in_kernel

    path = tmp_path / "answers.py"
    path.write_text("import numpy as np\n"
                    "def cosine_similarity(a, b):\n"
                    "    return float(np.sum(a * b) / np.sqrt(np.sum(a * a) * np.sum(b * b)))\n"
                    "def nearest_neighbours(query, items, k):\n"
                    "    s = cosine_similarity(query[None, :], items)[0]\n"
                    "    return np.argsort(-s)[:k]\n")
    spec = importlib.util.spec_from_file_location("answers_kernel", path)
    answers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(answers)
    KERNEL_FAILED.clear()
    try:
        with pytest.raises(CheckFailed) as first:
            run_in_kernel("vectors.cosine_batched", answers.cosine_similarity)
        assert "fails because" not in str(first.value)
        with pytest.raises(CheckFailed) as second:
            run_in_kernel("vectors.nearest_neighbours", answers.nearest_neighbours)
        assert str(second.value).startswith("nearest_neighbours: this fails because your `cosine_similarity`")
    finally:
        KERNEL_FAILED.clear()


def test_readme_course_table_lists_exactly_the_source_assignments():
    from autograder.paths import Course

    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^\| (\S+) \| [^|]+ \| [^|]+ \|$", readme, re.M)) - {"id", "---"}
    assert listed == set(Course(ROOT).assignments())


def test_every_hidden_cell_calls_a_registered_check_on_its_target():
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"])
            for topic, name, obj in re.findall(r"\b(\w+)\.check_(\w+)\((\w+)\)", text):
                check = REGISTRY.get(f"{topic}.{name}")
                assert check is not None, (path.name, topic, name)
                assert obj == check.target, (path.name, check.id, obj)


def test_report_phrase_for_a_generic_verdict_is_the_kits():
    from autograder.checks._kit import GENERIC_MISTAKES
    from autograder.report.analytics import GENERIC, Phrases

    phrases = Phrases()
    for name, words in GENERIC_MISTAKES.items():
        expected = GENERIC.get(name, words)
        assert phrases.phrase(name, ["vectors.standardise"], "standardise: something") == expected


def test_a_mistake_that_gives_no_answer_never_names_a_nan_answer():
    from autograder.checks._kit import Case, Mistake
    from autograder.checks._kit.compare import judge_parts, judge_value
    from autograder.harness.probes import Outcome

    case = Case("x", {"x": np.array([1.0, 2.0])})
    nothing = [Mistake("nothing", "your function returns nothing", lambda x: None)]
    for received, expected in ((np.array([np.nan, np.nan]), np.array([2.0, 4.0])), (np.float64("nan"), 3.0)):
        for judge in (judge_value, judge_parts):
            verdict = judge(case, Outcome(value=received), expected, 1e-8, nothing, what="f(x)")
            assert not verdict.passed and verdict.mistake != "nothing", (judge.__name__, verdict)
