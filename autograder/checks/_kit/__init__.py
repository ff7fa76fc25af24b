"""The check kit: one declarative way to write a hidden check.

* :mod:`.check` — the contract (``Check``, ``Case``, ``Mistake``, ``Tolerance``, ``Verdict``),
  the registry and the notebook path;
* :mod:`.compare` — the one comparison core (error measures, value and multi-part judges);
* :mod:`.inputs` — the shared input generators every topic draws its cases from;
* :mod:`.diagnose` — what to say when no catalogued mistake matches.
"""

from autograder.checks._kit import inputs  # noqa: F401
from autograder.checks._kit.check import (  # noqa: F401
    GENERIC_MISTAKES, KINDS, MEASURES, REGISTRY, Case, Check, CheckFailed, Mistake, Tolerance, Verdict,
    each_case, first_failure, fresh_rng, not_answered, register, run_in_kernel,
)
