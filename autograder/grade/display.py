"""Cells that only draw a picture: not run when grading.

Grading draws no picture, yet some instructor cells cost most of a notebook's run: a
timing demo (9 s in the interview), a photo compressed at six ranks. Such a cell changes
no grade when everything it makes is unused afterwards, so the grader leaves it out:

- it is the instructor's text (not an answer, not a cell the student changed or added)
  and it uses pyplot;
- it defines no function or class, declares nothing global, deletes nothing, and stores
  only into objects it made itself;
- it calls nothing that changes shared state: the global random generators, settings
  (``set_*``, ``use``, ``seed``), files;
- no later cell, check or public test mentions a name the cell binds, or an outside
  value it reads (a random generator it draws from, a table it hands to a function);
- no later cell can reach names indirectly (``globals()``, ``eval``, ``__main__`` ...).

Later cells are read statement by statement: a name counts as read when a statement may
read it before the cell binds it again, and a name inside a function or lambda counts as
read whenever that is called. A cell that does not parse counts every word it has, and a
word such as ``globals`` anywhere keeps every cell running: doubt keeps a cell running.

A cell that computes something later cells use and then draws it runs only up to its
drawing: its last statements are left out when they form a *drawing tail*:

- they use pyplot, and call nothing but pyplot, the figures, axes and images made by
  pyplot calls in this cell, a few builtins (``range``, ``zip``, ``len`` ...), a few numpy
  functions that make new arrays (``np.arange``, ``np.cumsum`` ...) and a few methods
  that only read (``.round``, ``.std`` ...), none of them named again by the notebook;
  so nothing they touch can change, whoever made it;
- they define, declare, delete and import nothing, store only into objects they made,
  and write no files;
- no later cell, check or public test reads a name they bind.
"""
from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from functools import lru_cache

_MAGIC = re.compile(r"^(\s*)[%!].*$", re.M)
_WORD = re.compile(r"[A-Za-z_]\w*")
DRAWS = re.compile(r"\bplt\s*\.")
INDIRECT = frozenset({"globals", "locals", "vars", "eval", "exec", "compile", "__main__", "__dict__", "__builtins__",
                      "get_ipython", "modules", "__import__", "_ih", "_oh", "In", "Out"})
# Calls that write files: never in a display-only cell, whatever they are called on.
FILE_CALLS = frozenset({"open", "savefig", "save", "savez", "savez_compressed", "savetxt", "tofile", "to_csv",
                        "to_json", "to_pickle", "to_parquet", "write", "write_text", "write_bytes", "dump", "chdir",
                        "mkdir", "makedirs", "remove", "unlink", "rmtree", "system", "setattr", "delattr", "exec",
                        "eval", "__import__", "input", "exit", "quit"})
# Calls on a module that change state every later cell shares (settings, global generators).
MODULE_STATE = frozenset({"use", "update", "seed", "manual_seed", "rand", "randn", "randint", "randperm",
                          "rand_like", "randn_like", "normal", "uniform", "bernoulli", "multinomial", "shuffle",
                          "permutation", "choice", "dropout", "random", "random_sample", "sample", "standard_normal",
                          "integers"})
_BUILTINS = frozenset(dir(builtins))
# What a drawing tail may call besides pyplot and the objects pyplot made: nothing that
# can change its arguments.
PURE_BUILTINS = frozenset({"range", "len", "zip", "enumerate", "min", "max", "abs", "round", "str", "float", "int",
                           "bool", "list", "tuple", "sorted", "sum", "reversed", "format", "repr", "print"})
PURE_NUMPY = frozenset({"arange", "linspace", "asarray", "array", "cumsum", "diff", "append", "unique", "argsort",
                        "sqrt", "degrees", "radians", "cos", "sin", "tan", "arctan2", "exp", "log", "log10", "abs",
                        "max", "min", "mean", "std", "sum", "round", "clip", "concatenate", "stack", "vstack",
                        "hstack", "zeros", "ones", "full", "eye", "triu_indices", "tril_indices", "meshgrid",
                        "where", "isfinite", "percentile", "quantile", "histogram", "sign", "maximum", "minimum"})
PURE_METHODS = frozenset({"round", "std", "mean", "sum", "max", "min", "item", "tolist", "copy", "astype",
                          "reshape", "ravel", "flatten", "format", "upper", "lower", "title", "strip", "join",
                          "argmax", "argmin", "cumsum", "numpy", "detach", "cpu", "get", "keys", "values",
                          "items"})
_TAIL_STATEMENTS = (ast.Assign, ast.AnnAssign, ast.Expr, ast.For, ast.If, ast.Pass)


@lru_cache(maxsize=4096)
def words(source: str) -> frozenset[str]:
    return frozenset(_WORD.findall(source))


def _chain(node: ast.AST) -> list[str] | None:
    """``a.b.c`` -> ["a", "b", "c"]; None if it does not start with a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def _base(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


@lru_cache(maxsize=4096)
def footprint(source: str, modules: frozenset[str]) -> frozenset[str] | None:
    """The names a drawing cell leaves behind or depends on (what no later cell may mention),
    or None if the cell is not display-only whatever follows it. ``modules``: names the
    notebook binds by import before this cell."""
    if not DRAWS.search(source):
        return None
    tree = _parse(source)
    if tree is None:
        return None
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Global,
                             ast.Nonlocal, ast.Delete, ast.Await, ast.AsyncFor, ast.AsyncWith)):
            return None
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return None
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.NamedExpr):
            bound.add(node.target.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    if bound & INDIRECT:
        return None
    outside: set[str] = set()
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
            if _base(node) not in bound:  # storing into an object the cell did not make
                return None
        elif isinstance(node, ast.Call):
            chain = _chain(node.func) or []
            name = chain[-1] if chain else None
            if name in FILE_CALLS:
                return None
            if len(chain) > 1 and chain[0] in modules and chain[0] not in bound and (
                    name in MODULE_STATE or name.startswith("set_")):
                return None
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in INDIRECT:
                return None
            if id(node) in callees:  # a function it calls (what the function reads is its own affair)
                continue
            if node.id not in bound and node.id not in modules and node.id not in _BUILTINS:
                outside.add(node.id)
    return frozenset(bound | outside)


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_MAGIC.sub(lambda m: f"{m.group(1)}pass", source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


_SCOPES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.FunctionDef,
           ast.AsyncFunctionDef)


def _loads(node: ast.AST) -> set[str]:
    """Names read from the enclosing scope: those a comprehension, lambda or function binds
    for itself (its loop variables, parameters, locals) are left out."""
    own: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, _SCOPES):
            own |= _stores(n)
            if isinstance(n, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
                a = n.args
                own |= {x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if x}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - own


def _stores(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _reads(stmts: list[ast.stmt], stored: set[str]) -> tuple[set[str], set[str]]:
    """(names the statements may read before they bind them, names surely bound after)."""
    reads: set[str] = set()
    stored = set(stored)
    for st in stmts:
        if isinstance(st, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and st.value is not None:
            targets = st.targets if isinstance(st, ast.Assign) else [st.target]
            reads |= _loads(st.value) - stored
            for t in targets:
                reads |= _loads(t) - stored
                if isinstance(st, ast.AugAssign):
                    reads |= _stores(t) - stored
            for t in targets:
                if isinstance(t, (ast.Name, ast.Tuple, ast.List)):
                    stored |= _stores(t)
        elif isinstance(st, ast.For):
            reads |= _loads(st.iter) - stored
            reads |= _reads(st.body, stored | _stores(st.target))[0] | _reads(st.orelse, stored)[0]
        elif isinstance(st, ast.With):
            for item in st.items:
                reads |= _loads(item.context_expr) - stored
            inner = stored | set().union(*(_stores(i.optional_vars) for i in st.items if i.optional_vars))
            reads |= _reads(st.body, inner)[0]
        elif isinstance(st, ast.If):
            reads |= _loads(st.test) - stored
            reads |= _reads(st.body, stored)[0] | _reads(st.orelse, stored)[0]
        elif isinstance(st, (ast.Import, ast.ImportFrom)):
            stored |= {(a.asname or a.name).split(".")[0] for a in st.names}
        else:  # anything else (a function, a loop, try): every name in it may be read
            reads |= _loads(st) - stored
    return reads, stored


@lru_cache(maxsize=4096)
def later_use(source: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """For a cell that runs after a drawing cell: (names it may read before binding them,
    names it surely binds, names inside its functions, lambdas and classes, which may be
    read whenever they are called). A cell that does not parse may read any word it has."""
    tree = _parse(source)
    if tree is None:
        return words(source), frozenset(), words(source)
    reads, stored = _reads(tree.body, set())
    deferred: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            deferred |= _loads(node)
    return frozenset(reads), frozenset(stored), frozenset(deferred)


@lru_cache(maxsize=4096)
def _imported(source: str) -> frozenset[str]:
    tree = _parse(source)
    if tree is None:
        return frozenset()
    return frozenset((a.asname or a.name).split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names)


def _targets(node: ast.AST) -> list[ast.AST | None]:
    """The parts of an assignment target, in order (None for anything but a name)."""
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for elt in node.elts for n in _targets(elt)] if all(
            isinstance(e, ast.Name) for e in node.elts) else [node]
    return [node]


def _made(st: ast.stmt, drawn: set[str]) -> set[str]:
    """Names ``st`` binds to objects pyplot made (a figure, axes, an image): what a call on
    ``plt`` or on such an object returns, part of one, or a loop over them."""
    def from_drawn(value: ast.AST) -> bool:
        if isinstance(value, (ast.Tuple, ast.List)):
            return bool(value.elts) and all(from_drawn(e) for e in value.elts)
        while isinstance(value, (ast.Attribute, ast.Subscript, ast.Call)):
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                    value.func.attr.startswith("get"):
                return False  # a getter may hand back the caller's own data
            value = value.func if isinstance(value, ast.Call) else value.value
        return isinstance(value, ast.Name) and value.id in drawn

    out: set[str] = set()
    if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None and from_drawn(st.value):
        for target in (st.targets if isinstance(st, ast.Assign) else [st.target]):
            out |= _stores(target)
    elif isinstance(st, ast.For):
        it, parts = st.iter, _targets(st.target)
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "zip" and \
                len(parts) == len(it.args):
            out |= {p.id for p, arg in zip(parts, it.args) if isinstance(p, ast.Name) and from_drawn(arg)}
        elif isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" and \
                len(parts) == 2 and it.args and isinstance(parts[1], ast.Name) and from_drawn(it.args[0]):
            out.add(parts[1].id)
        elif from_drawn(it):
            out |= _stores(st.target)
    return out


def _tail_bound(stmts: list[ast.stmt], drawn: set[str], renamed: frozenset[str]) -> frozenset[str] | None:
    """The names a drawing tail binds, or None if ``stmts`` are not one (see the module's
    docstring). ``drawn``: names bound to pyplot or to what it made before the tail;
    ``renamed``: every name the notebook binds (a builtin or ``np`` rebound is not pure)."""
    drawn = set(drawn)
    bound: set[str] = set()
    for st in stmts:
        for node in ast.walk(st):
            if isinstance(node, ast.stmt) and not isinstance(node, _TAIL_STATEMENTS):
                return None
            if isinstance(node, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)):
                return None
        for _ in range(2):  # a loop's variable first, then what its body makes from it
            for node in ast.walk(st):
                if isinstance(node, (ast.For, ast.Assign, ast.AnnAssign)):
                    drawn |= _made(node, drawn)
        bound |= _stores(st)
    for st in stmts:
        for node in ast.walk(st):
            if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
                if _base(node) not in (bound | drawn) - {"plt"}:  # pyplot's own settings are shared
                    return None
            elif isinstance(node, ast.Name) and node.id in INDIRECT:
                return None
            elif isinstance(node, ast.Call) and not _pure_call(node, drawn, renamed):
                return None
    return frozenset(bound)


def _pure_call(call: ast.Call, drawn: set[str], renamed: frozenset[str]) -> bool:
    chain = _chain(call.func)
    if chain is None:  # a call on a call's result, a subscript ...: only a reading method
        return isinstance(call.func, ast.Attribute) and call.func.attr in PURE_METHODS
    name = chain[-1]
    if name in FILE_CALLS or (chain[0] == "plt" and (name in MODULE_STATE or name.startswith("set_") and
                                                     len(chain) == 2)):
        return False
    if chain[0] in drawn:
        return True
    if len(chain) == 1:
        return name in PURE_BUILTINS and name not in renamed
    if chain[0] == "np" and len(chain) == 2 and "np" not in renamed:
        return name in PURE_NUMPY and not any(k.arg == "out" for k in call.keywords)
    return name in PURE_METHODS


@lru_cache(maxsize=4096)
def drawing_tail(source: str, renamed: frozenset[str]) -> list[tuple[int, str, frozenset[str]]]:
    """The drawing tails of a cell, longest first (the whole cell may be one): (first line
    left out, the source that still runs, the names the tail binds)."""
    if not DRAWS.search(source):
        return []
    tree = _parse(source)
    if tree is None or "plt" in renamed:
        return []
    lines = source.splitlines(keepends=True)
    found = []
    drawn = {"plt"}
    for k in range(len(tree.body)):
        if k:
            drawn |= _made(tree.body[k - 1], drawn)
        line = tree.body[k].lineno
        tail = "".join(lines[line - 1:])
        if not DRAWS.search(tail):
            break
        names = _tail_bound(tree.body[k:], drawn, renamed)
        if names is not None:
            found.append((line, "".join(lines[:line - 1]), names))
    return found


@lru_cache(maxsize=4096)
def tree_start(source: str) -> int | None:
    """The line of a cell's first statement."""
    tree = _parse(source)
    return tree.body[0].lineno if tree is not None and tree.body else None


def _renamed(cells: list[dict]) -> frozenset[str]:
    """Every name any cell binds (assigned, defined, imported as)."""
    return frozenset().union(*(_binds(c["source"]) for c in cells))


@lru_cache(maxsize=4096)
def _binds(source: str) -> frozenset[str]:
    tree = _parse(source)
    if tree is None:
        return words(source)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                if name not in ("np", "plt") or not _standard(node, alias):
                    out.add(name)
    return frozenset(out)


def _standard(node, alias) -> bool:
    """``import numpy as np`` and ``import matplotlib.pyplot as plt`` (or the from-forms)."""
    full = alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
    return (alias.asname, full) in {("np", "numpy"), ("plt", "matplotlib.pyplot")}


def display_plan(cells: list[dict], own: set[int],
                 later_words: frozenset[str] = frozenset()) -> tuple[list[str], dict[str, str]]:
    """(the units of ``cells`` (the merged notebook) left out, {unit: the source that runs}
    for cells whose drawing tail is left out), as the module's docstring says. ``own``:
    the indices of cells the student wrote; ``later_words``: what reads the namespace
    after every cell has run (the checks' targets, the public tests)."""
    if any(words(c["source"]) & INDIRECT for c in cells) or later_words & INDIRECT:
        return [], {}
    uses = [later_use(c["source"]) for c in cells]
    deferred = Counter(name for u in uses for name in u[2])  # a function may run at any time
    modules: list[frozenset[str]] = []
    seen: set[str] = set()
    for cell in cells:
        modules.append(frozenset(seen))
        seen |= _imported(cell["source"])
    renamed = _renamed(cells)
    skipped: list[int] = []
    heads: dict[str, str] = {}
    for i in range(len(cells) - 1, -1, -1):  # from the end: a cell read only by skipped cells goes too
        if i in own:
            continue
        names = footprint(cells[i]["source"], modules[i])
        if names is not None and not _blocked(names, i, uses, deferred, later_words):
            skipped.append(i)
            uses[i] = (frozenset(), frozenset(), frozenset())
            continue
        for line, head, names in drawing_tail(cells[i]["source"], renamed):
            if not _blocked(names, i, uses, deferred, later_words):
                if line == tree_start(cells[i]["source"]):  # the whole cell is a drawing tail
                    skipped.append(i)
                    uses[i] = (frozenset(), frozenset(), frozenset())
                else:
                    heads[cells[i]["unit"]] = head
                    uses[i] = later_use(head)
                break
    return [cells[i]["unit"] for i in sorted(skipped)], heads


def _blocked(names: frozenset[str], i: int, uses, deferred: Counter, later_words: frozenset[str]) -> bool:
    """Is one of ``names`` (what cell i binds or reads) read after it?"""
    return bool(names & later_words) or _read_after(names, uses[i + 1:]) or any(
        deferred[n] > (n in uses[i][2]) for n in names)  # another cell's function reads it


def _read_after(names: frozenset[str], uses) -> bool:
    """Does a later cell read one of ``names`` before some cell binds it again?"""
    live = set(names)
    for reads, stored, _deferred in uses:
        if live & reads:
            return True
        live -= stored
        if not live:
            return False
    return False
