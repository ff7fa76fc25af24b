"""Probes for 14-embeddings: ``call_vocab`` calls ``analogy(a, b, c, vocab)`` with ``vocab`` a
dict from word to vector, built here from a list of words and the matching rows of an array
(a dict of arrays cannot cross the sandbox boundary as one argument). The answer is a word,
handed back as it is; any other answer goes through the usual conversion to plain arrays.
Runs beside untrusted code: no reference answers here.
"""

from __future__ import annotations

from autograder.harness.probes import Outcome, _describe_error, _plain_outcome, probe

MAX_WORD = 100


@probe("call_vocab")
def call_vocab(fn, args: dict) -> Outcome:
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    vectors = args["vectors"]
    vocab = {word: vectors[i].copy() for i, word in enumerate(args["words"])}
    try:
        value = fn(args["a"], args["b"], args["c"], vocab)
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    if isinstance(value, str):
        if len(value) > MAX_WORD:
            return Outcome(error=f"the answer is a string of {len(value)} characters; expected one word", kind="str")
        return Outcome(value=value, kind="str")
    return _plain_outcome(value)
