"""Whether an unannotated parameter is used as a str: the inference of parameters.py, step 5.

A parameter is taken as a str (and the answer says "assuming s: str") where its own function's code
shows it is one and shows nothing a str does not allow. Evidence: compared with, added to or searched
for in a str written in the source (`s == ""`, `s + "x"`, `"ab" in s`, `c in "aeiou"`), a str method
called on it (`s.startswith(...)`), `ord(s)`, or an item or a loop's character of it used in one of those
ways (`s[i] == " "`, `for c in s: if c in "aeiou"`); or compared for equality, item by item, with a
parameter that such evidence shows is a str (`a[i] == b[i]`). Contradiction: arithmetic other than `+` and `*` (and
`+` with an int), an ordering against an int, a bitwise or unary operator, a call of it, an attribute that
no str has, or a store into an item of it. Neither decides for certain what callers pass; the assumption
is stated, so an answer never claims more than it shows.
"""

from __future__ import annotations

import ast
import itertools

from solomonic.reason.frontends.python.module import own_nodes

# The methods of str (the names a use like `s.upper()` may take without contradicting a str).
STR_METHODS = frozenset(name for name in dir(str) if not name.startswith("_"))
_ARITHMETIC_WITH_STR = (ast.Add, ast.Mult, ast.Mod)  # `s + t`, `s * n`, `s % args`


def used_as_str(fn: ast.FunctionDef, name: str) -> bool:
    """Whether fn's own code shows parameter `name` is a str and nothing that a str does not allow: by
    its own uses, or by being compared item by item with a name that they show is one (`a[i] == b[i]`)."""
    if contradicts_str(fn, name):
        return False
    return _evidence(fn, name) or any(_evidence(fn, other) and not contradicts_str(fn, other)
                                      for other in _compared_with(fn, name))


def _compared_with(fn: ast.FunctionDef, name: str) -> set[str]:
    """The names whose values or items fn compares for equality with those of `name`."""
    def base(e: ast.expr) -> str | None:
        if isinstance(e, ast.Subscript):
            e = e.value
        return e.id if isinstance(e, ast.Name) else None

    out = set()
    for n in own_nodes(fn):
        if isinstance(n, ast.Compare):
            for op, left, right in zip(n.ops, [n.left, *n.comparators], n.comparators):
                if isinstance(op, (ast.Eq, ast.NotEq)) and name in (base(left), base(right)):
                    out |= {b for b in (base(left), base(right)) if b is not None and b != name}
    return out


def _is_name(node: ast.AST | None, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_int(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, bool)


def _str_like(node: ast.AST, fn: ast.FunctionDef) -> bool:
    """Whether a use of `node` in fn shows that it is a str (node: a name, or an item of one)."""
    for n in own_nodes(fn):
        if isinstance(n, ast.Compare):
            for left, right in itertools.pairwise([n.left, *n.comparators]):
                if (left is node and _is_text(right)) or (right is node and _is_text(left)):
                    return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add) and (
                (n.left is node and _is_text(n.right)) or (n.right is node and _is_text(n.left))):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.value is node and \
                n.func.attr in STR_METHODS and n.func.attr not in dir(list):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "ord" and \
                any(a is node for a in n.args):
            return True
    return False


def _evidence(fn: ast.FunctionDef, name: str) -> bool:
    uses = [n for n in own_nodes(fn) if _is_name(n, name) and isinstance(n.ctx, ast.Load)]
    if any(_str_like(u, fn) for u in uses):
        return True
    for n in own_nodes(fn):
        if isinstance(n, ast.Subscript) and _is_name(n.value, name) and not isinstance(n.slice, ast.Slice) and \
                _str_like(n, fn):
            return True
        if isinstance(n, (ast.For, ast.comprehension)):
            iterated = n.iter
            target: ast.expr | None = n.target
            if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name) and \
                    iterated.func.id == "enumerate" and iterated.args:
                iterated = iterated.args[0]
                target = n.target.elts[1] if isinstance(n.target, ast.Tuple) and len(n.target.elts) == 2 else None
            if _is_name(iterated, name) and isinstance(target, ast.Name) and any(
                    _str_like(u, fn) for u in own_nodes(fn) if _is_name(u, target.id) and isinstance(u.ctx, ast.Load)):
                return True
    return False


def contradicts_str(fn: ast.FunctionDef, name: str) -> bool:
    """Whether fn's own code uses parameter `name` in a way that no str allows."""
    for n in own_nodes(fn):
        if isinstance(n, ast.BinOp) and (_is_name(n.left, name) or _is_name(n.right, name)):
            other = n.right if _is_name(n.left, name) else n.left
            if not isinstance(n.op, _ARITHMETIC_WITH_STR) or (isinstance(n.op, ast.Add) and _is_int(other)):
                return True
        if isinstance(n, ast.UnaryOp) and not isinstance(n.op, ast.Not) and _is_name(n.operand, name):
            return True
        if isinstance(n, ast.Compare):
            operands = [n.left, *n.comparators]
            for op, left, right in zip(n.ops, operands, operands[1:]):
                ordering = isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE))
                if ordering and ((_is_name(left, name) and _is_int(right)) or (_is_name(right, name) and _is_int(left))):
                    return True
        if isinstance(n, ast.Call) and _is_name(n.func, name):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "range" and \
                any(_is_name(a, name) for a in n.args):
            return True
        if isinstance(n, ast.Attribute) and _is_name(n.value, name) and n.attr not in STR_METHODS:
            return True
        if isinstance(n, ast.Subscript) and _is_name(n.value, name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(n, ast.AugAssign) and _is_name(n.target, name) and not isinstance(n.op, _ARITHMETIC_WITH_STR):
            return True
    return False
