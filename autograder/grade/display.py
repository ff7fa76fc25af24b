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


def display_only(cells: list[dict], own: set[int], later_words: frozenset[str] = frozenset()) -> list[str]:
    """The units of ``cells`` (the merged notebook) that only draw, as above. ``own``: the
    indices of cells the student wrote; ``later_words``: what reads the namespace after
    every cell has run (the checks' targets, the public tests)."""
    if any(words(c["source"]) & INDIRECT for c in cells) or later_words & INDIRECT:
        return []
    uses = [later_use(c["source"]) for c in cells]
    deferred = Counter(name for u in uses for name in u[2])  # a function may run at any time
    modules: list[frozenset[str]] = []
    seen: set[str] = set()
    for cell in cells:
        modules.append(frozenset(seen))
        seen |= _imported(cell["source"])
    skipped: list[int] = []
    for i in range(len(cells) - 1, -1, -1):  # from the end: a cell read only by skipped cells goes too
        names = footprint(cells[i]["source"], modules[i]) if i not in own else None
        if names is None or names & later_words or _read_after(names, uses[i + 1:]):
            continue
        if not any(deferred[n] > (n in uses[i][2]) for n in names):  # another cell's function reads none
            skipped.append(i)
            uses[i] = (frozenset(), frozenset(), frozenset())
    return [cells[i]["unit"] for i in sorted(skipped)]


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
