"""Values of unknown type: what the front end does not model (a list, an object, `self`, a float or a
string, the result of a call to code outside the module, an attribute, an item) is *opaque*: in the IR an
int variable with an arbitrary value (a `Havoc`), about which nothing is known and which is never read as
a number.

Why it is sound. An operation on an opaque value (attribute, subscript, method call, call of something
that is not modelled, arithmetic or comparison with an opaque operand, `len`, `isinstance`, truth, `in`,
unpacking) evaluates its modelled operands as Python does (their effects and exceptions exact), then
either raises (a nondeterministic exit to an "exception" event) or returns an arbitrary value: every
outcome the real operation can have, *provided it returns or raises*, and provided it changes none of
the function's int variables (no callee can rebind a caller's locals in Python; `nonlocal` and escaping
nested functions are refused) nor the module's constants. That proviso is the assumption every answer
about such a function states (lower.py). Results whose type Python fixes keep it: `len` gives an int >= 0,
`int()` an int, `bool()`, `isinstance`, `is` and `in` a bool; everything else gives an opaque value,
whose own operations are again arbitrary (a comparison may return anything, so its truth is an operation
too). Storing into an attribute or item of an opaque value evaluates everything and may raise; it cannot
change a modelled int local. Iterating over an opaque value (`for v in xs`, comprehensions) is refused:
its length is not modelled, so the loop's termination would rest on nothing.

Which locals hold opaque values is decided per variable, flow-insensitively: a variable that is ever
given an opaque value (or None) is opaque everywhere, so that its status is the same at every loop head.
An int stored into an opaque variable is fine: the variable over-approximates it. The lowering finds
these variables as it stores into them, and lower.py lowers again until none is new (a fixpoint over the
assignments, monotone, bounded by the number of variables).

Separate from expressions: this part knows the expressions that only make or use opaque values (and so
which names a call through one is assumed to return); expressions.py decides, per operator, whether its
operands make an operation exact or opaque.
"""

from __future__ import annotations

import ast
import builtins

from solomonic.reason.frontends.python.state import LoweringState, PyValue, _code
from solomonic.reason.ir import BOOL, INT, compare, const

# Builtins that run code given as text or rewrite the module's names by name: refused, since what they
# do is the module's own business, not an operation on a value.
SCOPE_BUILTINS = {"exec", "eval", "globals"}


class OpaqueLowering(LoweringState):
    """Expressions that make values of unknown type or operate on them without a modelled meaning."""

    def expression(self, node: ast.expr, allow_none: bool = False, allow_list: bool = False) -> PyValue:
        raise NotImplementedError  # expressions.py

    def fresh_opaque(self, node: ast.AST) -> PyValue:
        """A value of unknown type made without running anything (a constant, a display, a lambda)."""
        tmp = self.b.temp("unknown", INT)
        self.b.havoc(tmp, "a value of unknown type", getattr(node, "lineno", self.fn.lineno))
        return PyValue(tmp, opaque=True)

    def operation(self, node: ast.AST, raises: bool = True) -> PyValue:
        return self.unknown(node, f"`{_code(node)}`", raises=raises)

    def operands(self, nodes: list[ast.expr]) -> None:
        """Evaluate nodes in order, for their effects (a starred one's value too: its unpacking is part of
        the operation that uses it)."""
        for n in nodes:
            value = self.expression(n.value if isinstance(n, ast.Starred) else n, allow_none=True, allow_list=True)
            if value.list is not None and not value.list.fresh:
                self.unmodelled_use(value.list)
                raise self.unsupported(f"the list `{_code(n)}` passed to code not modelled (it could change or keep "
                                       "the list unseen)", n)

    def attribute(self, node: ast.Attribute) -> PyValue:
        self.expression(node.value, allow_none=True)
        return self.operation(node)

    def opaque_subscript(self, node: ast.Subscript) -> PyValue:
        """`x[i]`, `x[a:b:c]` of a value that is not a tuple the lowering builds: the value, then the index
        (a slice's bounds in order), then the lookup, which may raise."""
        self.expression(node.value, allow_none=True)
        return self.lookup(node)

    def lookup(self, node: ast.Subscript) -> PyValue:
        """The rest of an opaque subscript, its value evaluated: the index, then the lookup."""
        self.index(node.slice)
        return self.operation(node)

    def index(self, node: ast.expr) -> None:
        if isinstance(node, ast.Slice):
            self.operands([p for p in (node.lower, node.upper, node.step) if p is not None])
        elif isinstance(node, ast.Tuple):
            for e in node.elts:
                self.index(e)
        else:
            self.expression(node, allow_none=True)

    def display(self, node: ast.List | ast.Tuple | ast.Set | ast.Dict) -> PyValue:
        """A list, tuple, set or dict display: its elements in order. Unpacking (`*xs`, `**d`) and hashing
        (set and dict displays) are operations on the elements, which may raise."""
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                self.operands([k, v] if k is not None else [v])
            hashes = True
            unpacks = any(k is None for k in node.keys)
        else:
            self.operands(node.elts)
            hashes = isinstance(node, ast.Set)
            unpacks = any(isinstance(e, ast.Starred) for e in node.elts)
        return self.operation(node) if hashes or unpacks else self.fresh_opaque(node)

    def formatted(self, node: ast.JoinedStr) -> PyValue:
        """An f-string: each value and format spec in order, then the formatting (which runs `__format__`
        and may raise on a bad spec)."""
        parts = [v for v in node.values if isinstance(v, ast.FormattedValue)]
        for p in parts:
            self.expression(p.value, allow_none=True)
            if p.format_spec is not None:
                self.expression(p.format_spec, allow_none=True)
        return self.operation(node) if parts else self.fresh_opaque(node)

    def lambda_value(self, node: ast.Lambda) -> PyValue:
        """A lambda is a function object: its defaults run now, its body only when an opaque call runs it
        (and that call is assumed to return)."""
        self.operands([*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])
        return self.fresh_opaque(node)

    def module_object(self, name: str, node: ast.AST) -> PyValue:
        """A module-level name that is no int or bool constant (a class, an import, a function used as a
        value, a mutable global): the object it is bound to when read. Reading it raises NameError where
        it may be unbound. A variable of the module is named in the answer's assumptions."""
        if name in self.module.variables and name not in self.module_variables:
            self.module_variables.append(name)
        if name in self.module.always_bound and not self.module.star_import:
            return self.fresh_opaque(node)
        self.opaque_ops = True
        return self.operation(node)

    def opaque_call(self, node: ast.Call) -> PyValue:
        """A call the lowering does not model (a method, a class, a builtin, a function of another module,
        a callable value): the callee expression (of a method call, its object: the lookup is part of the
        call), the arguments in order, then the call, which may raise and returns a value of unknown
        type. The callee is named in the assumption that it returns."""
        func = node.func
        if isinstance(func, ast.Name) and func.id in SCOPE_BUILTINS and self.is_builtin(func.id):
            raise self.unsupported(f"call to `{func.id}` (it runs code from text or rewrites the module's names)",
                                   node)
        if isinstance(func, ast.Attribute):
            self.expression(func.value, allow_none=True)
        elif not (isinstance(func, ast.Name) and self.is_builtin(func.id)):
            self.expression(func, allow_none=True)
        self.operands([*node.args, *(k.value for k in node.keywords)])
        self.note_call(func)
        return self.unknown(node, f"the call `{_code(node)}`", call=True)

    def length(self, node: ast.Call) -> PyValue:
        """`len(x)`: an int >= 0 (CPython checks what `__len__` returns), or an exception."""
        self.operands([node.args[0]])
        return self.measured(node)

    def measured(self, node: ast.Call) -> PyValue:
        """What `len` gives of an evaluated value that is not modelled: an int >= 0, or an exception."""
        value = self.unknown_of(INT, node, f"`{_code(node)}`")
        self.b.assume(compare("ge", value.expr, const(0, INT)), node.lineno)
        return value

    def unknown_bool(self, node: ast.AST, raises: bool = True) -> PyValue:
        return self.unknown_of(BOOL, node, f"`{_code(node)}`", raises=raises)


def is_builtin_exception(name: str) -> bool:
    value = getattr(builtins, name, None)
    return isinstance(value, type) and issubclass(value, BaseException)
