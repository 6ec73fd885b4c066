"""The types of a function's parameters: declared, given by the user, or assumed from how they are used.

Python code as people write it has no annotations, and a caller may pass anything. The lowering models
int and bool parameters, so each parameter gets one of those kinds, from the first of:

1. a type the user gives for the run (`--param-types 'x: int'`, `check(param_types=...)`);
2. the function's own declaration: an annotation, a PEP 484 type comment (`# type: (int, int) -> int`),
   or a leading `assert isinstance(x, int)`;
3. the parameter's default value when it is a bool or an int constant;
4. otherwise `int`, *assumed*: the answer then holds for int arguments only, and says so ("assuming
   x: int") in every output format. The assumption is part of the lowered function, and so of the proof
   memory's key.

An assumption is made only where the function's own code does not contradict it: a parameter that is
indexed, iterated, measured with `len`, called, compared with None or combined with a string is not an
int, and the function is refused with that reason rather than analysed for arguments it was not written
for.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from solomonic.reason.frontends.python.module import own_nodes

KINDS = ("int", "bool")
# Builtins whose argument is a collection (or an iterable), never an int.
COLLECTION_BUILTINS = {"len", "sum", "sorted", "list", "tuple", "set", "frozenset", "dict", "iter", "enumerate",
                       "zip", "reversed", "any", "all", "next", "map", "filter"}


@dataclass(frozen=True)
class Kind:
    """A parameter's kind, and where it came from: "given", "declared", "default" or "assumed"."""

    kind: str
    source: str


class ParameterError(Exception):
    """A parameter the lowering cannot give a modelled kind; `node` is where to point the user."""

    def __init__(self, message: str, node: ast.AST):
        super().__init__(message)
        self.message = message
        self.node = node


def parse_param_types(text: str) -> dict[str, str]:
    """`'x: int, y: bool'` -> {"x": "int", "y": "bool"}; the types as written (checked when used)."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, type_ = (s.strip() for s in part.partition(":"))
        if not sep or not name.isidentifier() or not _parses(type_):
            raise ValueError(f"'{part}' is not 'name: type' (for example 'x: int, y: bool')")
        out[name] = type_
    return out


def parameter_kinds(fn: ast.FunctionDef, given: dict[str, str]) -> dict[str, Kind]:
    """Each positional parameter's kind (see the module's docstring); ParameterError when one has none."""
    args = fn.args.args
    declared = dict(_type_comment_kinds(fn))
    for stmt in _leading_asserts(fn):
        for target, asserted in _isinstance_calls(stmt.test):
            declared.setdefault(target, asserted)
    defaults = dict(zip([a.arg for a in args][len(args) - len(fn.args.defaults):], fn.args.defaults))
    out: dict[str, Kind] = {}
    for a in args:
        if a.arg in given:
            kind = annotation_kind(ast.parse(given[a.arg], mode="eval").body) if _parses(given[a.arg]) else None
            if kind is None:  # a type written well that is not modelled (list[int], str)
                raise ParameterError(f"parameter '{a.arg}' of type {given[a.arg]} (given by --param-types)", a)
            out[a.arg] = Kind(kind, "given")
        elif a.annotation is not None:
            kind = annotation_kind(a.annotation)
            if kind is None:
                raise ParameterError(f"parameter '{a.arg}' of type {ast.unparse(a.annotation)}", a)
            out[a.arg] = Kind(kind, "declared")
        elif a.arg in declared:
            out[a.arg] = Kind(declared[a.arg], "declared")
        else:
            default = defaults.get(a.arg)
            value = _int_or_bool(default) if default is not None else None
            if default is not None and value is None:
                raise ParameterError(f"parameter '{a.arg}' without a type, whose default "
                                     f"{ast.unparse(default)} is not an int or bool (annotate it, or pass "
                                     "--param-types)", a)
            contradiction = _not_an_int(fn, a.arg)
            if contradiction is not None:
                what, node = contradiction
                raise ParameterError(f"parameter '{a.arg}' without a type is {what}, not an int (only int and "
                                     "bool parameters are modelled; annotate it, or pass --param-types)", node)
            if value is not None:
                out[a.arg] = Kind("bool" if isinstance(value, bool) else "int", "default")
            else:
                out[a.arg] = Kind("int", "assumed")
    return out


def annotation_kind(annotation: ast.expr) -> str | None:
    if isinstance(annotation, ast.Name) and annotation.id in KINDS:
        return annotation.id
    if isinstance(annotation, ast.Constant) and annotation.value in KINDS:
        return annotation.value
    return None


def _parses(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def _int_or_bool(e: ast.expr) -> int | bool | None:
    """The value of a default written as an int or bool literal (`3`, `-1`, `True`), else None."""
    try:
        value = ast.literal_eval(e)
    except ValueError:
        return None
    return value if type(value) in (int, bool) else None


def _type_comment_kinds(fn: ast.FunctionDef) -> list[tuple[str, str]]:
    """PEP 484's function type comment, `def f(x, y):  # type: (int, bool) -> int`, as (name, kind) for
    the parameters it gives int or bool (it may leave out `self`)."""
    if not fn.type_comment:
        return []
    try:
        signature = ast.parse(fn.type_comment, mode="func_type")
    except SyntaxError:
        return []
    names = [a.arg for a in fn.args.args]
    names = names[len(names) - len(signature.argtypes):] if len(signature.argtypes) <= len(names) else []
    return [(n, k) for n, t in zip(names, signature.argtypes) if (k := annotation_kind(t)) is not None]


def _leading_asserts(fn: ast.FunctionDef) -> list[ast.Assert]:
    out = []
    for s in fn.body:
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):
            continue  # docstring
        if not isinstance(s, ast.Assert):
            break
        out.append(s)
    return out


def _isinstance_calls(test: ast.expr) -> list[tuple[str, str]]:
    """`isinstance(x, int) and isinstance(y, bool)` -> [("x", "int"), ("y", "bool")]."""
    parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    out = []
    for p in parts:
        if (isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and p.func.id == "isinstance"
                and len(p.args) == 2 and isinstance(p.args[0], ast.Name)):
            kind = annotation_kind(p.args[1])
            if kind is not None:
                out.append((p.args[0].id, kind))
    return out


def _not_an_int(fn: ast.FunctionDef, name: str) -> tuple[str, ast.AST] | None:
    """A use of parameter `name` in fn's own body that no int allows, described, with its node; None if
    every use is one an int allows. Conservative: a use after the name is rebound counts too."""
    def is_name(e: ast.AST | None) -> bool:
        return isinstance(e, ast.Name) and e.id == name

    def other_side_kind(e: ast.expr) -> str | None:
        if isinstance(e, ast.Constant):
            if e.value is None:
                return "compared with None (an optional value)"
            if isinstance(e.value, (str, bytes)):
                return f"used with a {type(e.value).__name__} constant"
            if isinstance(e.value, (float, complex)):
                return f"used with a {type(e.value).__name__} constant"
        if isinstance(e, (ast.JoinedStr, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp,
                          ast.DictComp)):
            return "used with a collection"
        return None

    for node in sorted(own_nodes(fn), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))):
        if isinstance(node, ast.Subscript) and is_name(node.value):
            return f"indexed like a sequence ({ast.unparse(node)}, line {node.lineno})", node
        if isinstance(node, ast.Attribute) and is_name(node.value):
            return f"an object with attributes ({ast.unparse(node)}, line {node.lineno})", node
        if isinstance(node, ast.Call):
            if is_name(node.func):
                return f"called like a function (line {node.lineno})", node
            if (isinstance(node.func, ast.Name) and node.func.id in COLLECTION_BUILTINS
                    and any(is_name(a) for a in node.args)):
                return f"a collection ({ast.unparse(node)}, line {node.lineno})", node
        if isinstance(node, (ast.For, ast.comprehension)) and is_name(node.iter):
            return f"iterated over ({name}, line {getattr(node, 'lineno', node.iter.lineno)})", node.iter
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for i, op in enumerate(node.ops):
                left, right = operands[i], operands[i + 1]
                if isinstance(op, (ast.In, ast.NotIn)) and is_name(right):
                    return f"a container ({ast.unparse(node)}, line {node.lineno})", node
                for mine, other in ((left, right), (right, left)):
                    if is_name(mine) and (what := other_side_kind(other)) is not None:
                        return f"{what} ({ast.unparse(node)}, line {node.lineno})", node
        if isinstance(node, ast.BinOp):
            for mine, other in ((node.left, node.right), (node.right, node.left)):
                if is_name(mine) and (what := other_side_kind(other)) is not None:
                    return f"{what} ({ast.unparse(node)}, line {node.lineno})", node
    return None
