"""Hidden checks for the interview assignment's short derivations, and where its rubrics live.

The written answers are graded by hand in formgrader. Their rubrics (the points a strong
answer makes, with marks) are in ``interview_rubric.md`` next to this module: inside the
``autograder`` package, so they never reach ``source/interview/`` (nbgrader copies every
file there into the student release). :func:`rubric` returns them for graders' tools.

The derivations are typed answers (``d1 = ...``), read tolerantly by the readers of
``autograder.checks.diagnostic``: ``67108864``, ``"67,108,864"``, ``2**26``, ``"6.71e7"``;
fractions as ``0.0039``, ``"1/256"`` or ``"0.39%"``. A number within 1% of the answer
passes; the prompt says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks.diagnostic import Item, judge_answer, read_number

RUBRIC_PATH = Path(__file__).with_name("interview_rubric.md")
RTOL = 0.01  # the prompt: "within 1%"

N_TOKENS, D_HEAD = 1024, 64  # d1
D_MODEL, RANK = 4096, 8  # d3, d4

DERIVATIONS = [
    Item("qk_multiply_adds", "d1", "", "number", N_TOKENS * N_TOKENS * D_HEAD,
         "d1: multiply-adds to compute Q K^T for 1024 tokens and head dimension 64",
         [(2 * N_TOKENS * N_TOKENS * D_HEAD, "that counts the multiplications and the additions separately "
                                             "(FLOPs); the question counts multiply-adds, one per product term",
           "counted_flops"),
          (N_TOKENS * D_HEAD * D_HEAD, "that is n * d * d; Q K^T has n * n entries, each a dot product of length d",
           "n_d_squared"),
          (N_TOKENS * N_TOKENS, "that is the number of entries of Q K^T; each entry is itself a dot product of "
                                "length d", "forgot_d"),
          (N_TOKENS * D_HEAD, "that is the size of Q (or K); the score matrix pairs every query with every key",
           "size_of_Q"),
          (N_TOKENS * N_TOKENS * D_HEAD // 2, "that is half of the score matrix; even with a causal mask the dense "
                                              "product Q K^T computes every entry", "half")]),
    Item("context_doubling", "d2", "", "number", 4,
         "d2: how much the cost of Q K^T grows when the context length doubles",
         [(2, "the cost grows with n * n: doubling n doubles both the number of queries and the number of keys",
           "linear"),
          (8, "the head dimension d stays the same; only the two factors of n double", "cubic"),
          (1, "the cost depends on the number of tokens n, through n * n * d", "constant")]),
    Item("lora_fraction", "d3", "", "number", RANK * 2 * D_MODEL / D_MODEL ** 2,
         "d3: LoRA's trainable parameters as a fraction of full fine-tuning for a 4096 x 4096 weight, r = 8",
         [(D_MODEL ** 2 / (RANK * 2 * D_MODEL), "that is full fine-tuning divided by LoRA; the question asks "
                                                "for LoRA as a fraction of full fine-tuning", "inverted"),
          (RANK * D_MODEL / D_MODEL ** 2, "that counts only one of A and B; LoRA trains both", "one_factor"),
          (100 * RANK * 2 * D_MODEL / D_MODEL ** 2, "that looks like a percentage written without the % sign; "
                                                    "give a fraction, or add the % sign", "percent_without_sign"),
          (1 - RANK * 2 * D_MODEL / D_MODEL ** 2, "that is the fraction LoRA saves; the question asks for the "
                                                  "fraction it trains", "saved_fraction"),
          (RANK * 2 * D_MODEL, "that is the number of LoRA parameters; divide it by the full count",
           "count_not_fraction"),
          (D_MODEL ** 2, "that is the number of parameters of full fine-tuning; the question asks for a fraction",
           "full_count")]),
    Item("update_rank", "d4", "", "number", RANK,
         "d4: the largest possible rank of the update B A with B (4096 x 8) and A (8 x 4096)",
         [(D_MODEL, "B A is a 4096 x 4096 matrix, but each of its columns is a combination of B's 8 columns",
           "matrix_size"),
          (2 * RANK, "ranks do not add here: rank(B A) <= min(rank(B), rank(A))", "added_ranks"),
          (RANK ** 2, "rank(B A) is at most the smaller of the two ranks, not their product", "multiplied_ranks"),
          (1, "a product of two rank-8 matrices can have rank up to 8; a single outer product has rank 1",
           "rank_one")]),
]


def _one_answer(rng: np.random.Generator) -> list[Case]:
    return [Case("your answer", {})]


def _reader(percent: bool):
    return lambda value: read_number(value, percent=percent)


def _register(item: Item):
    reader = _reader(percent=item.name == "lora_fraction")

    def judge(cases, outcomes):
        if len(outcomes) != 1:
            return Verdict(False, "the grader received no answer", "missing")
        return judge_answer(item, outcomes[0], rtol=RTOL, loose=RTOL, loose_atol=1e-12, reader=reader)

    return register(Check(
        id=f"interview.{item.name}",
        target=item.target,
        summary=item.summary,
        make_cases=_one_answer,
        judge=judge,
        probe="answer",
        tolerance=Tolerance(RTOL, "close", floor=1e-12),
        kind="answer",
        mistakes=[Mistake(name, message) for _, message, name in item.wrong],
    )).runner()


for _item in DERIVATIONS:
    globals()[f"check_{_item.name}"] = _register(_item)


def rubric(grade_id: str | None = None) -> str:
    """The graders' rubric: the whole file, or the section of one written answer."""
    text = RUBRIC_PATH.read_text()
    if grade_id is None:
        return text
    m = re.search(rf"^## {re.escape(grade_id)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    if not m:
        raise KeyError(f"no rubric for {grade_id!r} in {RUBRIC_PATH.name}")
    return m.group(0).strip()
