"""Import every probe module (``*_probes.py``) so that PROBES is complete."""

import importlib
import pkgutil

import autograder.harness as _pkg

for _info in pkgutil.iter_modules(_pkg.__path__):
    if _info.name.endswith("_probes"):
        importlib.import_module(f"autograder.harness.{_info.name}")
