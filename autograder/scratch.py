"""The "from scratch" rule, decided from what the code does rather than how it is spelled.

For one exercise (a check that declares ``forbidden=scratch.Rule(...)``, e.g. ``NUMPY_DOT``
below) the grader reads every cell that ran as Python,
follows the exercise's function (or class) to every helper, alias and import it reaches
across cells, and fails the check if that code:

* uses a routine the exercise rules out (``sklearn.decomposition.PCA``, ``np.dot``, ``peft``,
  ...) under any name: imports are resolved, aliases followed, Unicode names NFKC-normalised
  (Python does that when it parses), ``getattr(module, "name")`` read as ``module.name``; or
* uses dynamic import or code machinery (``__import__``, ``importlib``, ``exec``/``eval``/
  ``compile`` of a built string, ``getattr`` with a computed name, ``sys.modules``,
  ``sys.path``, ...), which would hide what the code uses. (In a job with a from-scratch
  exercise the job folder is also off the import path: a module the notebook writes to a
  file cannot be imported.)

Dynamic machinery counts in any cell the student wrote, since it can change what the
exercise's code does from afar; a rule marked ``anywhere`` (peft) also rules its library out
of every such cell. A student's own function is never judged by its name: an honest helper
called ``PCA`` is fine. The sandbox also watches the exercise's probe while it runs (the check's ``watch``, see
``autograder.harness.watch``): the third-party routines it rules out cannot be imported or
run there, and an attempt fails the check too.
"""

from __future__ import annotations

import ast
import re
import threading
import unicodedata
from dataclasses import dataclass, field

# CPython 3.11's ast module keeps a recursion counter per interpreter: two threads building
# ast objects at once can fail with "AST constructor recursion depth mismatch". Every use of
# ast on the trusted side of the grader goes through this lock.
AST_LOCK = threading.RLock()


def serialise_ast() -> None:
    """Make every ``ast.parse`` in this process (``ast.literal_eval`` and numpy's .npy header
    reader use it too) take AST_LOCK, so grading threads never build ast objects at once."""
    if getattr(ast.parse, "serialised", False):
        return
    unlocked = ast.parse

    def parse(*args, **kwargs):
        with AST_LOCK:
            return unlocked(*args, **kwargs)

    parse.serialised = True
    parse.__wrapped__ = unlocked
    parse.__doc__ = unlocked.__doc__
    ast.parse = parse
MAGIC_LINE = re.compile(r"^(\s*)[%!].*$", re.M)


@dataclass(frozen=True)
class Rule:
    what: str  # how the feedback names it: "scikit-learn's PCA (sklearn.decomposition)"
    modules: tuple[str, ...] = ()  # anything in these modules (and their submodules)
    roots: tuple[str, ...] = ()  # ... and these names anywhere under these packages
    names: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()  # attributes ruled out on any object: `.dot(...)`
    matmul: bool = False  # the `@` operator
    anywhere: bool = False  # ruled out in every cell the student wrote, not only in the exercise's code


@dataclass(frozen=True)
class Watch:
    """What the sandbox refuses while the exercise's probe runs (third-party code only)."""

    imports: tuple[str, ...] = ()  # module prefixes that cannot be imported or run
    frames: tuple[tuple[str, str], ...] = ()  # (module prefix, qualified-name prefix) of Python code
    builtins: tuple[tuple[str, str], ...] = ()  # (module prefix, name) of C functions and methods

    def to_json(self) -> dict:
        return {"imports": list(self.imports), "frames": [list(f) for f in self.frames],
                "builtins": [list(b) for b in self.builtins]}


NUMPY_DOT = Rule("a NumPy dot-product routine (np.dot, np.inner, np.vdot, np.matmul, the @ operator, .dot())",
            roots=("numpy", "scipy", "torch", "operator"),
            names=("dot", "inner", "vdot", "matmul", "tensordot", "vecdot", "multi_dot", "__matmul__",
                   "__rmatmul__", "imatmul"),
            methods=("dot", "__matmul__", "__rmatmul__", "matmul", "inner", "vdot"), matmul=True)
LIBRARY_NORM = Rule("a library norm (np.linalg.norm)", roots=("numpy", "scipy", "torch"),
             names=("norm", "vector_norm", "matrix_norm"))
SKLEARN_PCA = Rule("scikit-learn's PCA (sklearn.decomposition)", modules=("sklearn.decomposition",),
            roots=("sklearn",), names=("PCA", "IncrementalPCA", "KernelPCA", "TruncatedSVD", "SparsePCA",
                                       "MiniBatchSparsePCA"))
LIBRARY_SOFTMAX = Rule("a library softmax (torch.softmax, F.softmax, Tensor.softmax or scipy.special.softmax)",
                roots=("torch", "scipy", "sklearn", "jax", "tensorflow", "keras"),
                names=("softmax", "log_softmax", "Softmax", "LogSoftmax", "softmin", "Softmin"),
                methods=("softmax", "log_softmax", "Softmax"))
TORCH_ATTENTION = Rule("PyTorch's built-in attention (torch.nn.functional.scaled_dot_product_attention, "
                  "nn.MultiheadAttention)", roots=("torch",),
                  names=("scaled_dot_product_attention", "MultiheadAttention", "multi_head_attention_forward"),
                  methods=("MultiheadAttention", "multi_head_attention_forward"))
PEFT = Rule("the peft library (or another LoRA library)", modules=("peft", "loralib"), anywhere=True)


WATCH_TORCH_SOFTMAX = Watch(frames=(("torch.nn.functional", "softmax"), ("torch.nn.functional", "log_softmax"),
                               ("torch.nn.modules.activation", "Softmax"),
                               ("torch.nn.modules.activation", "LogSoftmax"), ("scipy.special", "softmax"),
                               ("scipy.special", "log_softmax")),
                       builtins=(("torch", "softmax"), ("torch", "log_softmax"), ("torch", "_softmax")))
WATCH_TORCH_ATTENTION = Watch(frames=(("torch.nn.functional", "multi_head_attention_forward"),
                                 ("torch.nn.modules.activation", "MultiheadAttention")),
                         builtins=(("torch", "scaled_dot_product_attention"),
                                   ("torch", "_scaled_dot_product_attention_math"),
                                   ("torch", "_native_multi_head_attention")))
WATCH_NUMPY_DOT = Watch(builtins=(("numpy", "dot"), ("numpy", "inner"), ("numpy", "vdot")))
WATCH_SKLEARN_DECOMPOSITION = Watch(imports=("sklearn.decomposition",))
WATCH_PEFT = Watch(imports=("peft", "loralib"))

# Dynamic import and code machinery: never needed to write these exercises, and it hides
# what the code uses.
_DYNAMIC_MODULES = ("importlib", "imp", "pkgutil", "runpy", "marshal", "pickle", "dill", "cloudpickle", "ctypes",
                    "builtins", "__builtin__", "zipimport", "code", "codeop", "types", "gc", "inspect",
                    "autograder", "site")
_DYNAMIC_NAMES = {"__import__": "`__import__`", "exec": "`exec`", "eval": "`eval`", "compile": "`compile`",
                  "globals": "`globals()`", "vars": "`vars()`", "locals": "`locals()`",
                  "__builtins__": "`__builtins__`", "breakpoint": "`breakpoint`"}
_DYNAMIC_ATTRS = {"__dict__", "__getattribute__", "__globals__", "__builtins__", "__import__", "__loader__",
                  "__spec__", "__subclasses__", "__code__", "__closure__", "__reduce__", "__reduce_ex__",
                  "_getframe", "modules", "__getattr__", "f_globals", "f_builtins", "f_back", "path", "meta_path",
                  "path_hooks", "path_importer_cache"}
_SYS_ONLY = {"modules", "path"}  # dynamic only as attributes of sys (os.path is fine)
_ATTR_FUNCS = ("getattr", "setattr", "delattr", "hasattr")


def parse(source: str) -> ast.Module | None:
    """A cell as the sandbox runs it (IPython magics blanked), or None if it does not parse."""
    text = MAGIC_LINE.sub(lambda m: f"{m.group(1)}pass", source)
    with AST_LOCK:
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


@dataclass
class _Binding:
    kind: str  # "module" (an import: value is the dotted name), "node" (a def, class or assignment)
    value: object
    cell: int


@dataclass
class _Notebook:
    bindings: dict[str, list[tuple[_Binding, bool]]] = field(default_factory=dict)  # name -> (binding, conditional)
    stars: list[tuple[str, int]] = field(default_factory=list)  # `from m import *`
    trees: list[ast.Module | None] = field(default_factory=list)
    effective: dict[str, list[_Binding]] = field(default_factory=dict)
    scopes: dict[int, tuple[list, list]] = field(default_factory=dict)  # id(root) -> _scope_nodes(root)
    shallow: dict[tuple, str | None] = field(default_factory=dict)  # (rule, own cells) -> finding


def _bind_imports(node: ast.AST, cell: int, add) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = norm(alias.name)
            if alias.asname:
                add(norm(alias.asname), _Binding("module", name, cell))
            else:
                add(name.split(".")[0], _Binding("module", name.split(".")[0], cell))
    elif isinstance(node, ast.ImportFrom) and not node.level:
        module = norm(node.module or "")
        for alias in node.names:
            if alias.name == "*":
                add("*", _Binding("module", module, cell))
            else:
                add(norm(alias.asname or alias.name), _Binding("module", f"{module}.{norm(alias.name)}", cell))


def _targets(target: ast.AST):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from _targets(elt)
    elif isinstance(target, ast.Starred):
        yield from _targets(target.value)


def _read(cells: list[str]) -> _Notebook:
    nb = _Notebook()
    for index, source in enumerate(cells):
        tree = parse(source)
        nb.trees.append(tree)
        if tree is None:
            continue

        def visit(stmts, conditional):
            for stmt in stmts:
                def add(name, binding, _c=conditional):
                    if name == "*":
                        nb.stars.append((binding.value, binding.cell))
                    else:
                        nb.bindings.setdefault(name, []).append((binding, _c))

                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    _bind_imports(stmt, index, add)
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    add(stmt.name, _Binding("node", stmt, index))
                elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    for target in targets:
                        for name in _targets(target):
                            add(name, _Binding("node", stmt, index), _c=conditional or isinstance(stmt, ast.AugAssign))
                else:
                    # Anything bound inside if/for/while/try/with at top level counts, conditionally.
                    for name in ("body", "orelse", "finalbody"):
                        visit(getattr(stmt, name, []) or [], True)
                    for handler in getattr(stmt, "handlers", []) or []:
                        visit(handler.body, True)
                    for case in getattr(stmt, "cases", []) or []:
                        visit(case.body, True)
                    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
                        holders = [stmt.target] if isinstance(stmt, (ast.For, ast.AsyncFor)) else \
                            [i.optional_vars for i in stmt.items if i.optional_vars is not None]
                        for holder in holders:
                            for name in _targets(holder):
                                add(name, _Binding("node", stmt, index), True)
                    for sub in ast.walk(stmt):
                        if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
                            add(sub.target.id, _Binding("node", sub, index), True)

        visit(tree.body, False)
    return nb


def _effective(nb: _Notebook, name: str) -> list[_Binding]:
    """The bindings of a global name that can be in force once every cell has run: from
    its last unconditional binding on."""
    if name not in nb.effective:
        found = nb.bindings.get(name, [])
        last = max((i for i, (_b, conditional) in enumerate(found) if not conditional), default=0)
        nb.effective[name] = [b for b, _c in found[last:]]
    return nb.effective[name]


_READ_CACHE: dict[int, tuple[tuple[str, ...], _Notebook]] = {}


def _read_cached(cells: list[str]) -> _Notebook:
    """A submission's cells are read once for all of its checks."""
    key = tuple(cells)
    hit = _READ_CACHE.get(hash(key))
    if hit is not None and hit[0] == key:
        return hit[1]
    nb = _read(list(cells))
    if len(_READ_CACHE) > 16:
        _READ_CACHE.clear()
    _READ_CACHE[hash(key)] = (key, nb)
    return nb


class _Scan:
    def __init__(self, nb: _Notebook, rule: Rule, shallow: bool = False):
        self.nb, self.rule, self.shallow = nb, rule, shallow
        self.queue: list[tuple[ast.AST, int]] = []
        self.seen: set[int] = set()
        self.found: str | None = None

    # --- what a name or attribute chain refers to ---------------------------------------

    def qualify(self, node: ast.AST, local: dict[str, set[str]], depth: int = 0) -> set[str]:
        """The dotted names (``numpy.linalg.norm``) that an expression can refer to."""
        if depth > 50:
            return set()
        if isinstance(node, ast.Name):
            if node.id in local:
                return local[node.id]
            out = set()
            bindings = _effective(self.nb, node.id)
            for binding in bindings:
                if binding.kind == "module":
                    out.add(binding.value)
                else:
                    self.follow(binding.value, binding.cell)
                    value = getattr(binding.value, "value", None)
                    if isinstance(binding.value, (ast.Assign, ast.AnnAssign)) and value is not None:
                        out |= self.value_names(binding.value, node.id, local, depth)
            if not bindings:
                out |= {f"{module}.{node.id}" for module, _cell in self.nb.stars}
            return out
        if isinstance(node, ast.Attribute):
            return {f"{base}.{norm(node.attr)}" for base in self.qualify(node.value, local, depth + 1)}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            return {f"{base}.{norm(node.args[1].value)}" for base in self.qualify(node.args[0], local, depth + 1)}
        if isinstance(node, (ast.Tuple, ast.List)):
            out = set()
            for elt in node.elts:
                out |= self.qualify(elt, local, depth + 1)
            return out
        if isinstance(node, ast.Subscript):
            return self.qualify(node.value, local, depth + 1)
        return set()

    def value_names(self, stmt, name, local, depth) -> set[str]:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        value = stmt.value
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                    and len(target.elts) == len(value.elts):
                for t, v in zip(target.elts, value.elts):
                    if isinstance(t, ast.Name) and t.id == name:
                        return self.qualify(v, local, depth + 1)
        return self.qualify(value, local, depth + 1)

    # --- what is ruled out --------------------------------------------------------------

    def ruled_out(self, dotted: str) -> bool:
        rule = self.rule
        for module in rule.modules:
            if dotted == module or dotted.startswith(module + "."):
                return True
        parts = dotted.split(".")
        if parts[0] in rule.roots and any(p in rule.names for p in parts[1:]):
            return True
        return False

    def flag(self, what: str, cell: int, node: ast.AST) -> None:
        if self.found is None:
            self.found = f"{what} (code cell {cell + 1}, line {getattr(node, 'lineno', '?')})"

    def dynamic(self, what: str, cell: int, node: ast.AST) -> None:
        self.flag(f"{what}, dynamic code or import machinery, which this exercise does not allow because it "
                  f"can hide the use of {self.rule.what}", cell, node)

    # --- walking the reachable code -----------------------------------------------------

    def follow(self, node: ast.AST, cell: int, start: bool = False, outer: dict | None = None) -> None:
        if (start or not self.shallow) and id(node) not in self.seen:
            self.seen.add(id(node))
            self.queue.append((node, cell, outer or {}))

    def run(self) -> str | None:
        while self.queue and self.found is None:
            node, cell, outer = self.queue.pop(0)
            self.check(node, cell, outer)
        return self.found

    def check(self, root: ast.AST, cell: int, outer: dict) -> None:
        if id(root) not in self.nb.scopes:
            self.nb.scopes[id(root)] = _scope_nodes(root)
        nodes, nested = self.nb.scopes[id(root)]
        # Names local to this function (its parameters and what it assigns) are not the
        # notebook's globals of the same name; a closure sees its enclosing function's.
        local: dict[str, set[str]] = dict(outer)
        for name in _local_names(root, nodes, nested):
            local[name] = set()
        inherit = local if isinstance(root, _SCOPES) and not isinstance(root, ast.ClassDef) else {}
        for scope in nested:
            self.follow(scope, cell, start=True, outer=inherit)
        # Imports and aliases inside the code itself (a function's own `import`).
        for sub in nodes:
            if isinstance(sub, (ast.Import, ast.ImportFrom)):
                _bind_imports(sub, cell, lambda name, b: local.setdefault(name, set()).add(b.value)
                              if name != "*" else local.setdefault("*", set()).add(b.value))
                if isinstance(sub, ast.ImportFrom) and sub.level:
                    self.dynamic("a relative import", cell, sub)
                modules = [norm(a.name) for a in sub.names] if isinstance(sub, ast.Import) else \
                    [norm(sub.module or "")] + [f"{norm(sub.module or '')}.{norm(a.name)}" for a in sub.names if a.name != "*"]
                for module in modules:
                    if self.ruled_out(module):
                        self.flag(f"{self.rule.what}: `{module}`", cell, sub)
                    elif module.split(".")[0] in _DYNAMIC_MODULES:
                        self.dynamic(f"the `{module.split('.')[0]}` module", cell, sub)
        local.pop("*", None)
        for _ in range(3):  # local aliases, `f = np.linalg` then `g = f.norm`
            for sub in nodes:
                if isinstance(sub, ast.Assign) and isinstance(root, _SCOPES):
                    for target in sub.targets:
                        if isinstance(target, ast.Name) and target.id in local:
                            local[target.id] = local[target.id] | self.qualify(sub.value, local)
        for sub in nodes:
            if self.found:
                return
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                if sub.id in _DYNAMIC_NAMES and sub.id not in local and not self.student_defined(sub.id):
                    self.dynamic(_DYNAMIC_NAMES[sub.id], cell, sub)
                for dotted in self.qualify(sub, local):
                    self.judge(dotted, cell, sub)
            elif isinstance(sub, ast.Attribute):
                attr = norm(sub.attr)
                for dotted in self.qualify(sub, local):
                    self.judge(dotted, cell, sub)
                if attr in self.rule.methods:
                    self.flag(f"{self.rule.what}: `.{attr}`", cell, sub)
                elif attr in _DYNAMIC_ATTRS and not (attr in _SYS_ONLY and not self.is_sys(sub.value, local)):
                    self.dynamic(f"`.{attr}`", cell, sub)
            elif isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.MatMult) and self.rule.matmul:
                self.flag(f"{self.rule.what}: the `@` operator", cell, sub)
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.op, ast.MatMult) and self.rule.matmul:
                self.flag(f"{self.rule.what}: the `@=` operator", cell, sub)
            elif isinstance(sub, ast.Call):
                self.call(sub, cell, local)

    def call(self, node: ast.Call, cell: int, local) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        if name in _ATTR_FUNCS and name not in local and not self.student_defined(name):
            if len(node.args) < 2 or not (isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                self.dynamic(f"`{name}` with a computed attribute name", cell, node)
            else:
                attr = norm(node.args[1].value)
                if attr in self.rule.methods:
                    self.flag(f"{self.rule.what}: `.{attr}`", cell, node)
                elif attr in _DYNAMIC_ATTRS and not (attr in _SYS_ONLY and not self.is_sys(node.args[0], local)):
                    self.dynamic(f"`.{attr}`", cell, node)
                for dotted in self.qualify(node, local):
                    self.judge(dotted, cell, node)

    def judge(self, dotted: str, cell: int, node) -> None:
        if self.ruled_out(dotted):
            self.flag(f"{self.rule.what}: `{dotted}`", cell, node)
        top = dotted.split(".")[0]
        if top in _DYNAMIC_MODULES:
            self.dynamic(f"the `{top}` module", cell, node)
        elif dotted in ("sys.modules", "sys._getframe", "os.sys.modules"):
            self.dynamic(f"`{dotted}`", cell, node)

    def student_defined(self, name: str) -> bool:
        return any(b.kind == "node" and isinstance(b.value, (ast.FunctionDef, ast.ClassDef))
                   for b in _effective(self.nb, name))

    def is_sys(self, node, local) -> bool:
        return any(d in ("sys", "os.sys") for d in self.qualify(node, local))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


def _scope_nodes(root: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """The nodes of ``root``'s own scope, and the nested scopes (functions, classes,
    comprehensions) found in it, which are read as scopes of their own."""
    nodes, nested, stack = [root], [], list(ast.iter_child_nodes(root))
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            nested.append(node)
            continue
        nodes.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return nodes, nested


def _local_names(root: ast.AST, nodes: list[ast.AST], nested: list[ast.AST]) -> set[str]:
    if not isinstance(root, _SCOPES):
        return set()  # a cell or a top-level statement: its names are the notebook's globals
    names: set[str] = set()
    if isinstance(root, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        a = root.args
        names |= {x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if x is not None}
        names |= {n.name for n in nested if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    for node in nodes:
        if isinstance(node, ast.Global):
            names -= set(node.names)
    return names


def violation(check_id: str, target: str, cells: list[str], answers: list[int] = (), own: list[int] | None = None,
              fallback: "dict[str, str] | Rule | tuple[Rule, ...] | None" = None) -> str | None:
    """Why the code for ``target`` breaks the exercise's from-scratch rule, or None.

    ``cells`` is every cell that ran, in order; ``answers`` the indices of the exercise's
    own answer cells (read whole, as they run whole); ``own`` the indices of every cell the
    student wrote (all of them when None), read for dynamic machinery wherever it is."""
    rule = fallback if isinstance(fallback, Rule) else None  # the check's declared rule
    if isinstance(fallback, tuple) and fallback and all(isinstance(r, Rule) for r in fallback):
        for one in fallback:
            found = violation(check_id, target, cells, answers, own, one)
            if found:
                return found
        return None
    if rule is None:
        return _fallback(cells, fallback) if fallback else None
    own = list(range(len(cells))) if own is None else list(own)
    try:
        with AST_LOCK:
            nb = _read_cached(cells)
            scan = _Scan(nb, rule)
            for binding in _effective(nb, target):
                scan.follow(binding.value if binding.kind == "node" else ast.Name(target, ast.Load()), binding.cell)
            for index in answers:
                if nb.trees[index] is not None:
                    scan.follow(nb.trees[index], index)
            found = scan.run()
            if found:
                return found
            # Dynamic machinery in any of the student's cells can change what the exercise's
            # code does (builtins patched, a function defined by exec), so it counts anywhere.
            key = (rule, tuple(own))
            if key not in nb.shallow:
                shallow = _Scan(nb, rule if rule.anywhere else Rule(rule.what), shallow=True)
                for index in own:
                    if 0 <= index < len(nb.trees) and nb.trees[index] is not None:
                        shallow.follow(nb.trees[index], index, start=True)
                nb.shallow[key] = shallow.run()
            return nb.shallow[key]
    except RecursionError:
        return "code nested too deeply for the grader to read, so it cannot be checked for library use"


def _fallback(cells: list[str], forbidden: dict[str, str]) -> str | None:
    """A check without a rule here: its patterns over the parsed code (comments, strings and
    Unicode spellings normalised away)."""
    with AST_LOCK:
        code = "\n".join(ast.unparse(t) for t in (parse(c) for c in cells) if t is not None)
    for pattern, name in forbidden.items():
        if re.search(pattern, code):
            return name
    return None
