"""Every hidden check, proven both ways: correct variants pass, catalogued mistakes fail by name."""

import importlib
import pkgutil

import numpy as np
import pytest

import tests.catalogues as catalogues
from autograder.checks import load_all

REGISTRY = load_all()
SEEDS = [0, 1, 2]


def _modules():
    for info in pkgutil.iter_modules(catalogues.__path__):
        yield importlib.import_module(f"tests.catalogues.{info.name}")


def _entries(kind):
    for module in _modules():
        for check_id, items in getattr(module, kind, {}).items():
            target = getattr(module, "TARGET", {}).get(check_id)
            for item in items:
                yield pytest.param(check_id, target, *item, id=f"{check_id}-{item[0]}")


def _object(check_id, target, code):
    check = REGISTRY[check_id]
    namespace = {}
    exec(compile(code, f"<catalogue {check_id}>", "exec"), namespace)
    return check, namespace[target or check.target], code


@pytest.mark.parametrize("check_id,target,label,code", list(_entries("CORRECT")))
def test_correct_variant_passes(check_id, target, label, code):
    check, obj, code = _object(check_id, target, code)
    for seed in SEEDS:
        verdict = check.run(obj, np.random.default_rng(seed), code=code)
        assert verdict.passed, f"{label} failed with seed {seed}: {verdict.message}"


@pytest.mark.parametrize("check_id,target,mistake,code,words", list(_entries("MISTAKES")))
def test_mistake_fails_with_its_message(check_id, target, mistake, code, words):
    check, obj, code = _object(check_id, target, code)
    for seed in SEEDS:
        verdict = check.run(obj, np.random.default_rng(seed), code=code)
        assert not verdict.passed, f"mistake {mistake} passed with seed {seed}"
        assert verdict.mistake == mistake, f"seed {seed}: diagnosed {verdict.mistake}: {verdict.message}"
        assert words in verdict.message


def test_every_check_has_both_catalogues():
    correct, mistakes = set(), set()
    for module in _modules():
        correct |= set(getattr(module, "CORRECT", {}))
        mistakes |= set(getattr(module, "MISTAKES", {}))
    assert set(REGISTRY) - correct == set(), "checks without correct variants"
    assert set(REGISTRY) - mistakes == set(), "checks without catalogued mistakes"
