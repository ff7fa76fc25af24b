"""Plain data across the sandbox boundary: numpy's .npy format inside a zip, and JSON.

Never pickle. The trusted side reads each array's header first and refuses anything that is
not a plain numeric array of a sane size before it allocates memory for it.
"""

from __future__ import annotations

import codecs
import json
import re
import zipfile
from pathlib import Path

import numpy as np

from autograder.harness.probes import Outcome

try:  # the trusted side; in the sandbox only the writing half is used
    from autograder.text import clean
except ImportError:  # pragma: no cover - the sandbox copies only the harness
    def clean(value, limit=None, oneline=False):
        return str(value)[:limit]

# zipfile decodes member names as cp437: looked up here, so a job forked from the warm
# sandbox's zygote finds the codec loaded (its first lookup imports a module).
codecs.lookup("cp437")

MAX_ARRAY_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
PLAIN_KINDS = "biufc"


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for key, value in arrays.items():
            with zf.open(f"{key}.npy", "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asarray(value), allow_pickle=False)


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    """Load arrays written by :func:`save_arrays`, validating each header first."""
    out, total = {}, 0
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not info.filename.endswith(".npy"):
                raise ValueError(f"unexpected member {info.filename!r}")
            with zf.open(info) as fh:
                version = np.lib.format.read_magic(fh)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
                elif version == (2, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
                else:
                    raise ValueError(f"unsupported .npy version {version}")
                if dtype.kind not in PLAIN_KINDS or dtype.hasobject:
                    raise ValueError(f"{info.filename}: dtype {dtype} is not plain numbers")
                nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
                total += nbytes
                if nbytes > MAX_ARRAY_BYTES or total > MAX_TOTAL_BYTES:
                    raise ValueError(f"{info.filename}: {nbytes} bytes is more than the grader accepts")
                data = fh.read(nbytes + 1)
                if len(data) != nbytes:
                    raise ValueError(f"{info.filename}: size does not match its header")
                arr = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
                out[info.filename[:-4]] = arr.copy()
    return out


# --- outcomes: one JSON document for structure and errors, arrays in the zip ---

def pack_outcomes(outcomes: dict[str, list[Outcome]]) -> tuple[dict, dict[str, np.ndarray]]:
    doc, arrays = {}, {}
    for check_id, items in outcomes.items():
        entries = []
        for n, outcome in enumerate(items):
            entry = {"error": outcome.error, "kind": outcome.kind[:200]}
            entry["value"] = _pack_value(outcome.value, f"{check_id}~{n}", arrays)
            if outcome.inputs is not None:
                entry["inputs"] = _pack_value(dict(outcome.inputs), f"{check_id}~{n}~inputs", arrays)
            entries.append(entry)
        doc[check_id] = entries
    return doc, arrays


def _pack_value(value, key, arrays):
    if value is None:
        return None
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, tuple):
        return {"tuple": [_pack_value(v, f"{key}~{i}", arrays) for i, v in enumerate(value)]}
    if isinstance(value, dict):
        return {"dict": {str(k): _pack_value(v, f"{key}~{k}", arrays) for k, v in value.items()}}
    arrays[key] = np.asarray(value)
    return {"array": key}


WATCH_KEY = "~watch"  # what the from-scratch watch noted: {check id: what was used}
PUBLIC_KEY = "~public"  # the public tests: {grade id: None if it passed, else what it raised}
CELLS_KEY = "~cells"  # the cells that raised: {unit: what it raised}


def unpack_public(doc) -> dict[str, str | None]:
    """The public tests' results; anything that is not a name and None-or-text is dropped."""
    results = doc.get(PUBLIC_KEY) if isinstance(doc, dict) else None
    if not isinstance(results, dict):
        return {}
    return {clean(k, 200, True): (None if v is None else clean(v, 500)) for k, v in list(results.items())[:200]
            if isinstance(k, str) and (v is None or isinstance(v, str))}


def unpack_cell_errors(doc) -> dict[str, str]:
    """The cells that raised: ``cell:<n>`` -> what it raised; anything else is dropped."""
    errors = doc.get(CELLS_KEY) if isinstance(doc, dict) else None
    if not isinstance(errors, dict):
        return {}
    return {k: clean(v, 300) for k, v in list(errors.items())[:50]
            if isinstance(k, str) and re.fullmatch(r"cell:\d+", k) and isinstance(v, str)}


def unpack_watch(doc) -> dict[str, str]:
    """The from-scratch watch's notes; anything that is not plain text is dropped."""
    notes = doc.get(WATCH_KEY) if isinstance(doc, dict) else None
    if not isinstance(notes, dict):
        return {}
    return {clean(k, 300, True): clean(v, 300, True) for k, v in notes.items() if isinstance(k, str) and isinstance(v, str)}


def unpack_outcomes(doc: dict, arrays: dict[str, np.ndarray]) -> dict[str, list[Outcome]]:
    """Rebuild outcomes on the trusted side; anything malformed becomes an error outcome."""
    out = {}
    if not isinstance(doc, dict):
        raise ValueError("the outcomes are not a JSON object")
    for check_id, entries in doc.items():
        if check_id in (WATCH_KEY, PUBLIC_KEY, CELLS_KEY):
            continue
        items = []
        for entry in entries if isinstance(entries, list) else []:
            try:
                error = entry.get("error")
                inputs = _unpack_value(entry.get("inputs"), arrays)
                if inputs is not None and not (isinstance(inputs, dict)
                                               and all(isinstance(v, np.ndarray) for v in inputs.values())):
                    raise ValueError("malformed inputs")
                items.append(Outcome(
                    value=_unpack_value(entry.get("value"), arrays),
                    error=clean(error, 2000) if error is not None else None,
                    kind=clean(entry.get("kind", ""), 200, True),
                    inputs=inputs,
                ))
            except (KeyError, TypeError, AttributeError, ValueError):
                items.append(Outcome(error="the result could not be read", kind="invalid"))
        out[clean(check_id, 300, True)] = items
    return out


def _unpack_value(packed, arrays, depth=0):
    if packed is None:
        return None
    if depth > 4 or not isinstance(packed, dict) or len(packed) != 1:
        raise ValueError("malformed value")
    (tag, body), = packed.items()
    if tag == "str":
        return clean(body, 1000)
    if tag == "array":
        if not isinstance(body, str):
            raise ValueError("malformed array key")
        return arrays[body]
    if tag == "tuple":
        return tuple(_unpack_value(v, arrays, depth + 1) for v in body)
    if tag == "dict":
        return {str(k): _unpack_value(v, arrays, depth + 1) for k, v in body.items()}
    raise ValueError(f"unknown tag {tag}")


def write_json(path: Path, doc) -> None:
    path.write_text(json.dumps(doc))


# --- case arguments: arrays in the zip, scalars and strings in JSON ---

def pack_args(cases: dict[str, list[dict]]) -> tuple[dict, dict[str, np.ndarray]]:
    """``cases[check_id]`` is a list of argument dicts (name -> value)."""
    doc, arrays = {}, {}
    for check_id, case_list in cases.items():
        packed = []
        for n, args in enumerate(case_list):
            entry = []
            for name, value in args.items():
                if isinstance(value, np.ndarray):
                    key = f"{check_id}~{n}~{name}"
                    arrays[key] = value
                    entry.append([name, {"array": key}])
                else:
                    entry.append([name, {"json": _jsonable(value)}])
            packed.append(entry)
        doc[check_id] = packed
    return doc, arrays


def unpack_args(doc: dict, arrays: dict[str, np.ndarray]) -> dict[str, list[dict]]:
    out = {}
    for check_id, packed in doc.items():
        out[check_id] = [
            {name: arrays[v["array"]] if "array" in v else _from_json(v["json"]) for name, v in entry}
            for entry in packed
        ]
    return out


def _jsonable(value):
    if isinstance(value, tuple):
        return {"tuple": [_jsonable(v) for v in value]}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    raise TypeError(f"case argument of type {type(value).__name__} cannot cross the sandbox boundary")


def _from_json(value):
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_from_json(v) for v in value["tuple"])
    return value
