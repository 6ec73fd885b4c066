"""What a Python module binds, read from its syntax before any function is lowered.

The module's functions and constants, the names it binds (and so the builtins it shadows), the names
bound to `solomonic.reason` and its `assume`, the functions on a recursive cycle, and a function's own
locals as Python's compiler decides them. Separate from the lowering: none of it depends on a path
through a function; it is read from the syntax alone, and the lowering only consults it.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import Counter
from dataclasses import dataclass, field

from solomonic.reason.frontends.calls import on_cycles
from solomonic.reason.ir import BadInput


@dataclass
class PythonModule:
    path: str
    tree: ast.Module
    functions: dict[str, ast.FunctionDef]
    constants: dict[str, ast.expr]
    assume_names: set[str]  # local names bound to solomonic.reason.assume
    reason_modules: set[str]  # local names bound to the solomonic.reason module
    bound: set[str] = field(default_factory=set)  # every name the module scope binds (shadowing builtins)
    rebound: set[str] = field(default_factory=set)  # functions whose name is also bound to something else
    lines: list[str] = field(default_factory=list)
    # what is defined but not analysed, each reported unknown with the reason: the methods of the module's
    # classes ("Class.method", "Class.Inner.method") and coroutine functions (`async def`)
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    coroutines: dict[str, ast.AsyncFunctionDef] = field(default_factory=dict)
    # names surely bound once the module has run (bound by a top-level statement that always runs, and
    # deleted nowhere): reading one cannot raise NameError
    always_bound: set[str] = field(default_factory=set)
    # `from m import *` somewhere at module level (or a way to bind names dynamically: `globals()`,
    # `exec`, `builtins`, ...): any name may be rebound, so no module function, constant or builtin is
    # known by its name
    star_import: bool = False
    # names the module assigns (at module level, or in a function through `global`) that are no constant:
    # reading one gives whatever it holds at the time, a value of unknown type
    variables: set[str] = field(default_factory=set)

    def definition(self, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
        for table in (self.functions, self.methods, self.coroutines):
            if name in table:
                return table[name]
        raise KeyError(name)

    def function_line(self, name: str) -> int:
        return self.definition(name).lineno

    def definitions(self) -> list[str]:
        """Every function and method, in source order."""
        return sorted([*self.functions, *self.methods, *self.coroutines], key=self.function_line)


def parse_python(path: str, source: bytes) -> PythonModule:
    try:
        tree = _parse(source, path)
    except SyntaxError as err:
        raise BadInput(f"{path}:{err.lineno or 0}: syntax error: {err.msg}") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise BadInput(f"{path}: cannot be read as Python source: {err}") from None
    except (RecursionError, MemoryError):  # Python's own compiler gives up on it the same way
        raise BadInput(f"{path}:{_longest_statement(source)}: syntax nested too deeply for Python's parser "
                       "(Python cannot compile it either)") from None
    functions: dict[str, ast.FunctionDef] = {}
    assigned: dict[str, list[ast.expr]] = {}
    assume_names: set[str] = set()
    reason_modules: set[str] = set()
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    coroutines: dict[str, ast.AsyncFunctionDef] = {}

    def members(cls: ast.ClassDef, prefix: str) -> None:
        for m in cls.body:
            if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods[f"{prefix}{m.name}"] = m
            elif isinstance(m, ast.ClassDef):
                members(m, f"{prefix}{m.name}.")

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = node
        elif isinstance(node, ast.AsyncFunctionDef):
            coroutines[node.name] = node
        elif isinstance(node, ast.ClassDef):
            members(node, f"{node.name}.")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    assigned.setdefault(t.id, []).append(node.value)
        elif isinstance(node, ast.ImportFrom) and node.module == "solomonic.reason":
            assume_names |= {a.asname or a.name for a in node.names if a.name == "assume"}
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "solomonic.reason" and a.asname:
                    reason_modules.add(a.asname)
                elif a.name.startswith("solomonic"):
                    reason_modules.add("solomonic.reason")
    # What a function sees of a module name is its binding after the import. A name is a constant only
    # where its single top-level assignment is its only binding (not `K += 1`, `if c: K = 9`, `del K`, an
    # import, a def), and a call runs the module's function only where nothing but defs binds that name.
    bindings = _module_bindings(tree)
    # a `global` declaration in any function, method or nested function may rebind the name
    globals_ = {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    defs = Counter(node.name for node in tree.body if isinstance(node, ast.FunctionDef))
    constants = {n: vs[0] for n, vs in assigned.items()
                 if len(vs) == 1 and vs[0] is not None and bindings[n] == 1 and n not in globals_}
    rebound = {n for n in functions if bindings[n] != defs[n] or n in globals_}
    star = bindings["*"] > 0 or _rebinds_dynamically(tree)
    if star:
        constants, rebound = {}, set(functions)
    assume_names = {n for n in assume_names if bindings[n] == 1 and n not in globals_}  # not `assume = print`
    reason_modules = {n for n in reason_modules if bindings[n.split(".")[0]] == 1 and n not in globals_}
    variables = (_module_stores(tree) | globals_) - set(constants)
    return PythonModule(path, tree, functions, constants, assume_names, reason_modules,
                        set(bindings) | globals_, rebound, methods=methods, coroutines=coroutines,
                        always_bound=_always_bound(tree), star_import=star, variables=variables)


# What can bind a module's names, or the builtins, or change what a function does, without naming them
# in a binding statement: `globals()["abs"] = ...`, `exec("def abs...")`, `builtins.abs = ...`,
# `sys.modules[__name__]`, a frame's f_globals, `g.__code__ = ...`. A module that mentions any of these is
# read as after `from m import *`: no name is known.
_DYNAMIC_NAMES = {"globals", "vars", "locals", "exec", "eval", "compile", "builtins", "__builtins__", "__builtin__",
                  "__import__", "import_module", "_getframe", "f_globals", "modules", "__dict__",
                  # a function's own code and defaults, replaceable in place (`g.__code__ = ...`)
                  "__code__", "__defaults__", "__kwdefaults__"}


def _rebinds_dynamically(tree: ast.Module) -> bool:
    """Whether the module mentions a way to bind names other than its binding statements (`_DYNAMIC_NAMES`,
    as a name, an attribute or an imported module, in any scope)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DYNAMIC_NAMES:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _DYNAMIC_NAMES:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            names = [a.name for a in node.names]
            if any(m.split(".")[0] in ("builtins", "__builtin__", "importlib", "inspect") for m in modules) or \
                    any(n in _DYNAMIC_NAMES for n in names):
                return True
    return False


def _module_stores(tree: ast.Module) -> set[str]:
    """The names the module's own scope assigns to (`K = 1`, `K += 1`, a loop variable, a walrus), in any
    statement, not in the bodies of the functions and classes it defines."""
    out: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, SCOPES):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        todo += ast.iter_child_nodes(node)
    return out


def _always_bound(tree: ast.Module) -> set[str]:
    """The names a top-level statement that always runs binds (def, class, import, assignment to a
    name), less any name deleted anywhere in the module."""
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= {a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out |= {t.id for t in targets if isinstance(t, ast.Name)}
    deleted = {t.id for n in ast.walk(tree) if isinstance(n, ast.Delete) for t in n.targets
               if isinstance(t, ast.Name)}
    return out - deleted


def _parse(source: bytes, path: str) -> ast.Module:
    """The module's syntax tree with PEP 484 type comments (`# type: (int) -> int` declares a function's
    parameter types), or without them where a stray `# type:` comment is not one CPython accepts."""
    try:
        return ast.parse(source, filename=path, type_comments=True)
    except SyntaxError:
        return ast.parse(source, filename=path)


def _longest_statement(source: bytes) -> int:
    """The first line of the statement with the most tokens: where nesting too deep to parse must be, as
    each level takes a token at least (0 where the source does not even tokenize)."""
    counts: Counter[int] = Counter()
    start = 0
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            start = start or token.start[0]
            counts[start] += 1
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                start = 0
    except (SyntaxError, tokenize.TokenError):
        return 0
    return max(counts, key=counts.__getitem__, default=0)


def _module_bindings(tree: ast.Module) -> Counter[str]:
    """How often each name is bound (assigned, deleted, imported, defined) in the module's own scope."""
    return scope_bindings(tree.body)


def scope_bindings(nodes: list[ast.stmt]) -> Counter[str]:
    """How often each name is bound (assigned, deleted, imported, defined) by the statements of one scope.
    The bodies of the functions, classes and lambdas they define are other scopes, and so are the loop
    variables of comprehensions (a walrus inside one binds here). Whether a statement can be reached
    does not matter: Python decides a function's locals when it compiles it."""
    counts: Counter[str] = Counter()
    todo: list[ast.AST] = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                counts[node.name] += 1
                todo += node.decorator_list  # these run in this scope
            if isinstance(node, ast.ClassDef):
                todo += [*node.bases, *node.keywords]
            else:
                todo += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            continue
        if isinstance(node, ast.comprehension):
            todo += [node.iter, *node.ifs]
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            counts[node.id] += 1
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                counts[a.asname or a.name.split(".")[0]] += 1
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            counts[node.name] += 1
        elif isinstance(node, ast.MatchMapping) and node.rest:
            counts[node.rest] += 1
        todo += ast.iter_child_nodes(node)
    return counts


def returns_value(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether `returns-true` applies: some `return` gives a value, or the annotation is not None."""
    if fn.returns is not None and not (isinstance(fn.returns, ast.Constant) and fn.returns.value is None):
        return True
    return any(isinstance(n, ast.Return) and n.value is not None
               and not (isinstance(n.value, ast.Constant) and n.value.value is None)
               for n in own_nodes(fn))


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def last_line(fn: ast.FunctionDef) -> int:
    """The line a function's body ends on: where falling off its end returns."""
    return getattr(fn, "end_lineno", None) or fn.lineno


def own_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef):
    """The nodes of fn's own scope: its body, and of a function, class or lambda defined there only what
    runs in fn's scope (the definition itself, its decorators, defaults and bases), not its body, which is
    another scope (its `return`, `yield` and `global` are not fn's)."""
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, SCOPES):
            if not isinstance(node, ast.Lambda):
                todo += node.decorator_list
            if isinstance(node, ast.ClassDef):
                todo += [*node.bases, *node.keywords]
            else:
                todo += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            continue
        todo += ast.iter_child_nodes(node)


def local_names(fn: ast.FunctionDef) -> set[str]:
    """fn's local variables, as Python decides them: its parameters and every name its body binds in any
    way (even where unreachable), less those it declares global."""
    declared = {n for node in own_nodes(fn) if isinstance(node, (ast.Global, ast.Nonlocal))
                for n in node.names}
    return ({a.arg for a in fn.args.args} | set(scope_bindings(fn.body))) - declared


def recursive_functions(module: PythonModule) -> set[str]:
    """The module's functions on a cycle of the call graph: lowered once each and called, not inlined."""
    calls = {name: {n.func.id for n in own_nodes(fn) for n in ast.walk(n) if isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Name) and n.func.id in module.functions}
             for name, fn in module.functions.items()}
    return on_cycles(calls)


def results_discarded(module: PythonModule, name: str) -> bool:
    """Whether every mention of the module function `name` calls it as a statement, throwing the result
    away: then what it returns, None or a number, is never seen."""
    as_statements = {id(node.value.func) for node in ast.walk(module.tree)
                     if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)}
    return all(id(node) in as_statements for node in ast.walk(module.tree)
               if isinstance(node, ast.Name) and node.id == name)


def makes_list(node: ast.expr) -> bool:
    """Whether node is written as an expression that makes a new list: a display, a list comprehension,
    `[v] * n` (or `n * [v]`), `xs + [v]`, a slice, a call of `list(...)` (whether these mean what they say,
    a list of ints, is decided where they are lowered: lists.py)."""
    if isinstance(node, (ast.List, ast.ListComp)):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return isinstance(node.left, ast.List) or isinstance(node.right, ast.List)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return makes_list(node.left) or makes_list(node.right)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list"


def list_names(fn: ast.FunctionDef) -> set[str]:
    """The names fn's own code binds to a list it makes (`xs = []`, `xs: list[int] = [0] * n`): each is a
    list wherever it is bound (lists.py refuses a store of anything else into it); a name declared global
    or nonlocal is no local of fn."""
    out: set[str] = set()
    declared: set[str] = set()
    for node in own_nodes(fn):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.Assign) and makes_list(node.value):
            out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and node.value is not None and makes_list(node.value) and \
                isinstance(node.target, ast.Name):
            out.add(node.target.id)
    return out - declared
