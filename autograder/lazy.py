"""Packages (and modules) whose ``__init__`` is run only when something needs it.

Grading reads nbgrader's gradebook models (``nbgrader.api``), but ``import nbgrader``
first loads its Jupyter server extensions and the exchange (seconds), and nbconvert's
``__init__`` every exporter and filter its preprocessors never use. And every import
of nbformat imports jsonschema, which builds some forty grammar parsers for the
``rfc3987_syntax`` package (one to three seconds) that only a check of the "iri" string
formats ever uses. :func:`defer` puts such a package in ``sys.modules`` without running
its ``__init__``: its submodules import as usual, and the first other name asked of the
package runs the real ``__init__`` then. Nothing is left out, only done later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

_LOCK = threading.RLock()


def defer(name: str, functions: tuple[str, ...] = ()) -> None:
    """Defer package ``name``'s ``__init__`` (nothing happens if it is imported already or
    is not installed). ``functions``: names the package's ``__init__`` defines that others
    take at import time (``from name import f``); each is a stand-in that runs the real
    ``__init__`` on its first call."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    state = {"done": False}

    def load():
        with _LOCK:
            if not state["done"]:
                state["done"] = True
                for key in ("__getattr__", *functions):
                    module.__dict__.pop(key, None)
                spec.loader.exec_module(module)
        return module

    def __getattr__(attr: str):
        if attr.startswith("__") and attr.endswith("__") and attr not in ("__all__", "__version__"):
            raise AttributeError(attr)
        try:  # a submodule (the import system asks for ``from . import utils`` this way)
            sub = importlib.util.find_spec(f"{name}.{attr}")
        except (ImportError, ValueError):
            sub = None
        if sub is not None:
            return importlib.import_module(f"{name}.{attr}")
        try:
            return getattr(load(), attr)
        except AttributeError:
            raise AttributeError(f"module {name!r} has no attribute {attr!r}") from None

    module.__getattr__ = __getattr__
    for attr in functions:
        setattr(module, attr, _stand_in(load, attr))
    sys.modules.setdefault(name, module)


def defer_module(name: str, functions: tuple[str, ...]) -> None:
    """Module ``name`` in ``sys.modules`` as a stand-in, without importing it or its parent
    package, for importers that only take ``functions`` to call later: the first call of
    one, or any other name asked of it, imports the real module. (nbgrader's utils takes
    three archive functions from setuptools, whose ``__init__`` loads distutils and its
    vendored packages: 25 ms of CPU in every grader start.)"""
    if name in sys.modules:
        return
    stub = types.ModuleType(name)
    state: dict = {}

    def load():
        with _LOCK:
            if "module" not in state:
                if sys.modules.get(name) is stub:
                    del sys.modules[name]
                state["module"] = importlib.import_module(name)
        return state["module"]

    def __getattr__(attr: str):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(load(), attr)

    stub.__getattr__ = __getattr__
    for attr in functions:
        setattr(stub, attr, _stand_in(load, attr))
    sys.modules[name] = stub


def _stand_in(load, attr: str):
    """A function that loads the real module on its first call and calls ``attr`` of it."""
    def call(*args, **kwargs):
        return getattr(load(), attr)(*args, **kwargs)

    call.__name__ = call.__qualname__ = attr
    return call


def install() -> None:
    defer("nbgrader")
    defer("tqdm")  # its __init__ reads package metadata; tqdm.std is what we use
    # nbgrader's preprocessors import nbconvert's Preprocessor and ResourcesDict only; the
    # package __init__s load every exporter and filter (markdown, HTML sanitising) too.
    defer("nbconvert")
    defer("nbconvert.exporters")
    defer("requests")  # nbgrader's JupyterHub authenticator, never used to grade
    if "setuptools" not in sys.modules:  # nbgrader's unzip (collecting zip files) calls these
        defer_module("setuptools.archive_util", ("unpack_archive", "unpack_tarfile", "unpack_zipfile"))
    defer("rfc3987_syntax", functions=("is_valid_syntax",))
    defer("rfc3986_validator", functions=("validate_rfc3986",))
