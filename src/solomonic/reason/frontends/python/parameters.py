"""The types of a function's parameters: declared, given by the user, or assumed from how they are used.

Python code as people write it has no annotations, and a caller may pass anything. The lowering models
int and bool parameters exactly, ints that may be None too ("int | None": a flag says which, see
state.py), and any other as a value of unknown type ("object", see opaque.py), so each parameter gets one
of those kinds, from the first of:

1. a method's receiver (`self`, `cls`): an object;
2. a type the user gives for the run (`--param-types 'x: int, xs: list[int], s: str'`,
   `check(param_types=...)`): int, bool, list[int], str, or an object for any other type (`list[str]`);
3. the function's own declaration: an annotation, a PEP 484 type comment (`# type: (int, int) -> int`),
   or a leading `assert isinstance(x, int)`; `Optional[int]` and `int | None` are "int | None",
   `list[int]` and `List[int]` a list of ints; a declared type other than these is an object;
4. the parameter's default value: an int or a bool constant (a literal, or a constant expression over
   the module's int and bool constants, `def f(n=LIMIT)`) makes it an int, *assumed* as in 6: a caller
   may pass any int, and an answer for every int holds for True and False too (a bool default alone once
   made it a bool, unstated, and an answer that held for flags only was said of ints); a str default
   makes it a str, *assumed*, where its uses allow one (textuse.py); any other default (None aside, see
   below) makes it an object;
5. a use in the function's own code that no int allows (indexed, iterated, measured with `len`, called,
   an attribute read, ordered against None, combined with a string): a str, *assumed*, where the code
   shows it is one and nothing a str does not allow (textuse.py); else an object;
6. otherwise, where the default is None or the code asks whether it is None (`x is None`, `x != None`),
   "int | None", and else `int`, both *assumed*: the answer then holds for such arguments only, and says
   so ("assuming x: int", "assuming hi: int | None") in every output format. The assumption is part of
   the lowered function, and so of the proof memory's key.

An object parameter is any value at all, so it needs no assumption of its own; the answer says it was
taken as one ("xs: a value of unknown type"), and what is assumed of the operations on it (lower.py).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from solomonic.reason.frontends.python.module import own_nodes
from solomonic.reason.frontends.python.textuse import contradicts_str, used_as_str
from solomonic.reason.replay.python import STR  # a str (strings.py)

KINDS = ("int", "bool")  # the modelled kinds of values; any other parameter is an "object"
OPTIONAL = "int | None"  # an int parameter that may be None
LIST = "list[int]"  # a list of ints (lists.py)
LIST_GENERICS = {"list", "List", "typing.List"}  # how an annotation names the list type
# Builtins whose argument is a collection (or an iterable), never an int.
COLLECTION_BUILTINS = {"len", "sum", "sorted", "list", "tuple", "set", "frozenset", "dict", "iter", "enumerate",
                       "zip", "reversed", "any", "all", "next", "map", "filter"}


@dataclass(frozen=True)
class Kind:
    """A parameter's kind ("int", "bool" or "object"), and where it came from: "receiver", "given",
    "declared", "default", "used" or "assumed"."""

    kind: str
    source: str


def parse_param_types(text: str) -> dict[str, str]:
    """`'x: int, y: bool'` -> {"x": "int", "y": "bool"}; the types as written (checked when used)."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, type_ = (s.strip() for s in part.partition(":"))
        if not sep or not name.isidentifier() or not _parses(type_):
            raise ValueError(f"'{part}' is not 'name: type' (for example 'x: int, y: bool')")
        out[name] = type_
    return out


def parameter_kinds(fn: ast.FunctionDef, given: dict[str, str], receiver: str | None = None,
                    default_value: Callable[[ast.expr], int | bool | None] | None = None) -> dict[str, Kind]:
    """Each named parameter's kind (positional-only, ordinary, keyword-only; see the module's docstring);
    `default_value` gives a default's value where it is an int or bool constant expression (the module's
    constants known), by default where it is a literal."""
    value_of = default_value or _int_or_bool
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    declared = dict(_type_comment_kinds(fn))
    for stmt in _leading_asserts(fn):
        for target, asserted in _isinstance_calls(stmt.test):
            declared.setdefault(target, asserted)
    defaults = dict(zip([p.arg for p in positional][len(positional) - len(a.defaults):], a.defaults))
    defaults |= {p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None}
    out: dict[str, Kind] = {}
    for p in [*positional, *a.kwonlyargs]:
        if p.arg == receiver:
            out[p.arg] = Kind("object", "receiver")
        elif p.arg in given:
            kind = annotation_kind(ast.parse(given[p.arg], mode="eval").body) if _parses(given[p.arg]) else None
            out[p.arg] = Kind(kind or "object", "given")
        elif p.annotation is not None:
            out[p.arg] = Kind(annotation_kind(p.annotation) or "object", "declared")
        elif p.arg in declared:
            out[p.arg] = Kind(declared[p.arg], "declared")
        else:
            default = defaults.get(p.arg)
            value = value_of(default) if default is not None else None
            none_default = isinstance(default, ast.Constant) and default.value is None
            if default is not None and value is None and not none_default:
                text = isinstance(default, ast.Constant) and isinstance(default.value, str)
                out[p.arg] = Kind(STR, "assumed") if text and not contradicts_str(fn, p.arg) else \
                    Kind("object", "default")
            elif _used_as_other_than_int(fn, p.arg):
                out[p.arg] = Kind(STR, "assumed") if used_as_str(fn, p.arg) else Kind("object", "used")
            elif value is not None:  # a caller may pass any int, and True and False are ints
                out[p.arg] = Kind("int", "assumed")
            elif none_default or _asked_if_none(fn, p.arg):
                out[p.arg] = Kind(OPTIONAL, "assumed")
            else:
                out[p.arg] = Kind("int", "assumed")
    return out


def annotation_kind(annotation: ast.expr) -> str | None:
    """The kind an annotation declares: int, bool, "int | None" (`Optional[int]`, `int | None`, also as a
    string), or None for any other type."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(annotation, ast.Name) and annotation.id in (*KINDS, STR):
        return annotation.id
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) in LIST_GENERICS and \
            isinstance(annotation.slice, ast.Name) and annotation.slice.id == "int":
        return LIST
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        if any(_is_none(s) for s in sides) and any(annotation_kind(s) == "int" for s in sides):
            return OPTIONAL
    if isinstance(annotation, ast.Subscript) and annotation_kind(annotation.slice) == "int" and \
            ast.unparse(annotation.value) in ("Optional", "typing.Optional"):
        return OPTIONAL
    return None


def _is_none(e: ast.expr) -> bool:
    return isinstance(e, ast.Constant) and e.value is None


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
            if kind is not None and kind != LIST:  # isinstance() refuses a parameterised generic
                out.append((p.args[0].id, kind))
    return out


def _used_as_other_than_int(fn: ast.FunctionDef, name: str) -> bool:
    """Whether fn's own body uses parameter `name` in a way no int allows: indexed, an attribute read,
    called, passed to a builtin that takes a collection, iterated, a `with` context, the container of
    `in`, or combined with
    None, a str, bytes, float or complex constant, or a collection display. Conservative: a use after the
    name is rebound counts too."""
    def is_name(e: ast.AST | None) -> bool:
        return isinstance(e, ast.Name) and e.id == name

    def not_an_int(e: ast.expr) -> bool:
        if isinstance(e, ast.Constant):
            return e.value is None or isinstance(e.value, (str, bytes, float, complex))
        return isinstance(e, (ast.JoinedStr, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp,
                              ast.DictComp))

    def with_other(mine: ast.expr, other: ast.expr) -> bool:
        return (is_name(mine) and not_an_int(other)) or (is_name(other) and not_an_int(mine))

    def asks_if_none(op: ast.cmpop, left: ast.expr, right: ast.expr) -> bool:
        return isinstance(op, _NONE_TESTS) and (
            (is_name(left) and _is_none(right)) or (is_name(right) and _is_none(left)))

    for node in own_nodes(fn):
        if isinstance(node, (ast.Subscript, ast.Attribute)) and is_name(node.value):
            return True
        if isinstance(node, ast.Call) and (is_name(node.func) or (
                isinstance(node.func, ast.Name) and node.func.id in COLLECTION_BUILTINS
                and any(is_name(a) for a in node.args))):
            return True
        if isinstance(node, (ast.For, ast.comprehension)) and is_name(node.iter):
            return True
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(is_name(i.context_expr) for i in node.items):
            return True  # a context manager
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any((isinstance(op, (ast.In, ast.NotIn)) and is_name(right))
                   or (with_other(left, right) and not asks_if_none(op, left, right))
                   for op, left, right in zip(node.ops, operands, operands[1:])):
                return True
        if isinstance(node, ast.BinOp) and with_other(node.left, node.right) and not _repeats_list(node):
            return True
    return False


def _repeats_list(node: ast.BinOp) -> bool:
    """`[v] * n` or `n * [v]`: a list display repeated, whose count is an int like any other use."""
    return isinstance(node.op, ast.Mult) and (isinstance(node.left, ast.List) != isinstance(node.right, ast.List))


_NONE_TESTS = (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)  # comparisons that ask whether a value is None


def _asked_if_none(fn: ast.FunctionDef, name: str) -> bool:
    """Whether fn's own body asks whether parameter `name` is None (`name is None`, `None != name`)."""
    for node in own_nodes(fn):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                pair = {type(left), type(right)}
                if isinstance(op, _NONE_TESTS) and pair <= {ast.Name, ast.Constant} and any(
                        isinstance(e, ast.Name) and e.id == name for e in (left, right)) and any(
                        _is_none(e) for e in (left, right)):
                    return True
    return False
