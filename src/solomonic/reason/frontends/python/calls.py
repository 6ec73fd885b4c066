"""Python calls lowered to the IR: `assume`, the builtins the subset models (`abs min max int bool
isinstance len`), and calls to the module's functions, inlined, or kept as calls to a procedure where the
callee is on a recursive cycle. Every other call (a method, a class, another builtin, a function of
another module, a function of the module whose name is rebound, decorated or a generator) is an opaque
call (opaque.py): it is assumed to return, and named in that assumption.

Separate from expressions and statements: it decides what a called name means in the module (its own
function, a builtin, `solomonic.reason.assume`) and binds arguments to parameters, and it is the part
that lowers other functions' bodies (so it extends the statement lowering).
"""

from __future__ import annotations

import ast
import builtins
from typing import Any

from solomonic.reason.frontends.cfg import Builder
from solomonic.reason.frontends.python.expressions import ANALYSER_QUESTIONS, nested_defs
from solomonic.reason.frontends.python.module import last_line, own_nodes, results_discarded
from solomonic.reason.frontends.python.nested import NestedLowering
from solomonic.reason.frontends.python.state import UNKNOWN, Frame, ListRef, PyValue, _code, raises
from solomonic.reason.frontends.python.tuples import returned_arity
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    Call,
    Procedure,
    Unsupported,
    Var,
    arith,
    cast,
    compare,
    const,
    ite,
    negate,
)


class CallLowering(NestedLowering):
    """Lowers calls: to `assume`, to builtins, and to the module's functions (inlined, or procedures)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tuple_results: dict[str, list[Var]] = {}  # an inlined call's prefix -> its tuple's elements

    def call(self, node: ast.Call) -> PyValue:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        if self.is_assume(func):
            if len(node.args) != 1 or node.keywords:
                raise self.unsupported("assume() takes exactly one condition", node)
            self.b.assume(self.condition(node.args[0]), node.lineno)
            return PyValue(const(0, INT), TRUE)
        if name is not None:
            owner = self.frame if self.is_local(name) else self.closure_frame(name)
            if owner is not None and name not in nested_defs(owner.fn):
                return self.opaque_call(node)  # a local variable called: a value of unknown type (or an int)
        nested = self.nested_function(name, node) if name is not None else None
        if nested is not None:
            return self.inline(nested[0], node, nested[1])
        if name is not None and name in self.module.functions and not self.is_local(name):
            callee = self.module.functions[name]
            if self.ordinary_reason(callee) is not None:
                return self.opaque_call(node)
            if name in self.recursive:
                return self.recursive_call(callee, node)
            return self.inline(callee, node)
        if name is not None and self.is_builtin(name):
            if name in ANALYSER_QUESTIONS:
                raise self.unsupported(f"a question to the analyser itself (`{name}`): no correct yes/no "
                                       "answer exists for a program that consults its own analysis", node)
            if name == "isinstance":
                return self.isinstance(node)
            return self.builtin(name, node)
        return self.opaque_call(node)

    def ordinary(self, fn: ast.FunctionDef, node: ast.AST, entry: bool = False) -> None:
        """Refuse a function whose call does not run its body (see ordinary_reason)."""
        reason = self.ordinary_reason(fn, entry)
        if reason is not None:
            raise self.unsupported(reason, node)

    def ordinary_reason(self, fn: ast.FunctionDef, entry: bool = False) -> str | None:
        """Why a call of the module's function fn may not run its body, if it may not: its name the module
        binds to something else too, it is decorated (the decorator's result runs), it is a generator
        function (even one whose `yield` cannot be reached: it returns a generator). Such a call is an
        opaque call; such a function is not analysed, except that the function under analysis (`entry`)
        may have a rebound name: its def is still what the question is about (lower.py)."""
        if fn.name in self.module.rebound and not entry:
            return f"`{fn.name}`, a name the module also binds otherwise"
        if fn.decorator_list:
            return f"`{fn.name}`, decorated with @{ast.unparse(fn.decorator_list[0])}"
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(fn)):
            return f"`{fn.name}`, a generator function (it yields)"
        return None

    def is_assume(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return func.id in self.module.assume_names and not self.is_local(func.id) \
                and self.closure_frame(func.id) is None
        dotted = ast.unparse(func)
        first = dotted.split(".")[0]
        return dotted.endswith(".assume") and dotted.rsplit(".", 1)[0] in self.module.reason_modules \
            and not self.is_local(first) and self.closure_frame(first) is None

    def builtin(self, name: str, node: ast.Call) -> PyValue:
        """abs, min, max, int, bool and two-argument pow on ints exactly; len, int and bool of a value of unknown type as an
        int >= 0, an int and a bool that may raise; any other builtin call is an opaque call."""
        simple = not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)
        if name == "len" and simple and len(node.args) == 1:
            return self.length(node)
        if name == "divmod" and simple and len(node.args) == 2:
            self.divmod(node)  # exact, exceptions included; the tuple kept whole is a value of unknown type
            return self.fresh_opaque(node)
        if name == "pow" and simple and len(node.args) == 2:  # int.__pow__ both ways: `a ** b`, exactly
            power = ast.copy_location(ast.BinOp(node.args[0], ast.Pow(), node.args[1]), node)
            return self.expression(power, allow_none=True)
        if not simple or name not in ("abs", "min", "max", "int", "bool"):
            return self.opaque_call(node)
        args = self.in_order(node.args, lambda a: self.expression(a, allow_none=True), node)
        if any(a.opaque for a in args):
            if name == "int" and len(args) == 1:  # `__int__` / `__index__`: CPython gives an exact int
                return self.unknown_of(INT, node, f"`{_code(node)}`")
            if name == "bool" and len(args) == 1:
                return PyValue(self.truth(args[0], node))
            self.note_call(node.func)
            return self.unknown(node, f"the call `{_code(node)}`", call=True)
        if name == "abs" and len(args) == 1:
            x = self.as_int(args[0], node)
            return PyValue(ite(compare("lt", x, const(0, INT)), arith("neg", x), x))
        if name in ("min", "max") and len(args) >= 2:
            values = [self.as_int(a, node) for a in args]
            best = values[0]
            for v in values[1:]:  # ties keep the first argument, as Python does
                better = compare("lt" if name == "min" else "gt", v, best)
                best = ite(better, v, best)
            return PyValue(best)
        if name == "int" and len(args) == 1:
            return PyValue(self.as_int(args[0], node))
        if name == "bool" and len(args) == 1:
            return PyValue(self.truth(args[0]))
        self.note_call(node.func)  # other argument counts: TypeError, or a value of unknown type
        return self.unknown(node, f"the call `{_code(node)}`", call=True)

    def isinstance(self, node: ast.Call) -> PyValue:
        """Values in the subset are ints and bools, so isinstance is decided statically for builtin
        classes; of a value of unknown type, or with another class, it is an arbitrary bool (or raises)."""
        if len(node.args) != 2 or node.keywords:
            raise self.unsupported("isinstance() takes two arguments", node)
        value = self.expression(node.args[0], allow_none=True)
        nodes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        # Only builtin classes are decided: ints are instances of others too (numbers.Integral,
        # collections.abc.Hashable, runtime-checkable protocols), and a module may rebind a builtin's name.
        named = [getattr(builtins, c.id, None) if isinstance(c, ast.Name) and self.is_builtin(c.id)
                 else type(None) if self.is_none_type(c) else None for c in nodes]
        classes: list[type] = [c for c in named if isinstance(c, type)]
        if value.opaque or len(classes) < len(named):
            self.expression(node.args[1], allow_none=True)
            return self.unknown_bool(node)
        of_none = const(any(isinstance(None, c) for c in classes), BOOL)
        if value.none == TRUE:
            return PyValue(of_none)
        if any(issubclass(int, c) for c in classes):
            return PyValue(ite(value.none, of_none, TRUE))
        if value.none != FALSE:  # an int that may be None: whether it is a bool is not kept
            if bool in classes:
                return self.unknown_bool(node, raises=False)
            return PyValue(ite(value.none, of_none, FALSE))
        if bool in classes:
            declared = isinstance(node.args[0], ast.Name) and len(self.frames) == 1 and \
                self.declared.get(node.args[0].id) == "bool" and not _reassigned(self.fn, node.args[0].id)
            if value.expr.type == BOOL or declared:
                return PyValue(TRUE)
            raise self.unsupported("isinstance(..., bool) of a value that may be an int", node)
        return PyValue(FALSE)

    def is_none_type(self, node: ast.expr) -> bool:
        """Whether node is `type(None)`, the builtin `type` called on None: NoneType, which the builtins
        do not name."""
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type" and \
            self.is_builtin("type") and len(node.args) == 1 and not node.keywords and \
            isinstance(node.args[0], ast.Constant) and node.args[0].value is None

    def inline(self, callee: ast.FunctionDef, node: ast.Call, enclosing: Frame | None = None) -> PyValue:
        frame = self.inline_body(callee, node, None, enclosing)
        assert frame.result is not None and frame.result_none is not None  # inline_body gives both
        if frame.list_result is not None:
            if frame.plain_result or _may_return_none(callee):
                raise self.unsupported(f"`{callee.name}` returns a list and something else", node)
            return PyValue(frame.list_result.length, list=ListRef(frame.list_result.elems, frame.list_result.length,
                                                                  fresh=True))
        if frame.result.name in self.opaque_names:
            return PyValue(frame.result, opaque=True)
        may_be_none = _may_return_none(callee)
        return PyValue(frame.result, frame.result_none if may_be_none else FALSE)

    def tuple_arity(self, name: str) -> int | None:
        fn = self.tuple_function(name)
        if fn is None:
            return None
        shadowed = "divmod" in self.locals_in(fn) or not self.is_builtin("divmod")
        return returned_arity(fn, lambda c: isinstance(c.func, ast.Name) and c.func.id == "divmod" and not shadowed)

    def tuple_function(self, name: str) -> ast.FunctionDef | None:
        """The function a called name means (nested, or of the module and not recursive), if any."""
        owner = self.frame if self.is_local(name) else self.closure_frame(name)
        if owner is not None:
            return nested_defs(owner.fn).get(name, [None])[0]
        if name in self.module.functions and name not in self.recursive and \
                self.ordinary_reason(self.module.functions[name]) is None:
            return self.module.functions[name]
        return None

    def tuple_call(self, node: ast.Call) -> list[PyValue]:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        nested = self.nested_function(name, node)
        callee, enclosing = nested if nested is not None else (self.module.functions[name], None)
        if nested is None:
            self.ordinary(callee, node)
        frame = self.inline_body(callee, node, self.tuple_arity(name), enclosing)
        return [PyValue(v, opaque=v.name in self.opaque_names) for v in self.tuple_results[frame.prefix]]

    def inline_body(self, callee: ast.FunctionDef, node: ast.Call, arity: int | None,
                    enclosing: Frame | None = None) -> Frame:
        """Inline a call of callee; with an arity, every return gives a tuple of that many elements; a
        nested function reads its free variables in the frame of the function that defines it."""
        if any(f.fn is callee for f in self.frames):  # a cycle through a nested function's call
            raise self.unsupported(f"`{callee.name}` called again while it runs (recursion through a nested "
                                   "function)", node)
        names, values = self.arguments(callee, node)
        self.calls += 1
        prefix = f"{callee.name}#{self.calls}."
        frame = Frame(callee, prefix, {}, set(names))
        frame.result = Var(prefix + "$return", INT)
        frame.result_none = Var(prefix + "$return_none", BOOL)
        frame.join = self.b.location(node.lineno)
        if arity is not None:
            self.tuple_results[prefix] = [Var(f"{prefix}$return{k}", INT) for k in range(arity)]
        if enclosing is not None:
            self.enclosing[prefix] = enclosing
        self.frames.append(frame)
        for n, v in zip(names, values):
            if v.list is None:
                if self.list_ref(frame, n) is not None:  # the callee binds the parameter to lists too
                    self.found_plain.add(prefix + n)
                    raise self.unsupported(f"`{callee.name}` binds its parameter '{n}' to a list", node)
                self.assign_value(self.local(n), v, node.lineno)
            elif _reassigned(callee, n):
                raise self.unsupported(f"`{callee.name}` rebinds its parameter '{n}', given a list (the caller's "
                                       "list and the new one would be two lists under one name)", node)
            else:  # the caller's list itself: what the callee does to it, the caller sees
                frame.lists[n] = ListRef(v.list.elems, v.list.length)
        for n in sorted(f for f in self.flagged if f.startswith(prefix)):
            self.b.assign(Var(n + "$bound", BOOL), FALSE, node.lineno)
        self.body(callee.body)
        if self.b.current is not None:  # falls off the end: returns None
            if arity is not None:
                self.b.end(raises("TypeError", node.lineno, f"`{callee.name}` returns None, which "
                                  "cannot be unpacked or indexed"))
            self.b.assign(frame.result, const(0, INT), node.lineno)
            self.b.assign(frame.result_none, TRUE, node.lineno)
            self.b.jump(frame.join, node.lineno)
        self.frames.pop()
        self.b.place(frame.join)
        return frame

    def return_statement(self, s: ast.Return) -> None:
        results = self.tuple_results.get(self.frame.prefix) if len(self.frames) > 1 else None
        if results is None:
            if len(self.frames) == 1 and not self.frame.procedure and s.value is not None:
                values = self.tuple_values(s.value)
                if values is not None:  # the analysed function returns a tuple: true unless empty
                    self.finish_return(PyValue(const(len(values) > 0, BOOL)), s.lineno)
                    return
            super().return_statement(s)
            return
        values = self.tuple_values(s.value) if s.value is not None else None
        if values is None or len(values) != len(results):
            raise self.unsupported(f"a return in `{self.frame.fn.name}` that gives no tuple of {len(results)}", s)
        for var, v in zip(results, values):
            if v.opaque or v.none != FALSE:
                self.note_opaque(var.name)
            self.b.assign(var, cast(v.expr, INT), s.lineno)
        assert self.frame.join is not None  # an inlined frame's returns all jump to its join
        self.b.jump(self.frame.join, s.lineno)

    def recursive_call(self, callee: ast.FunctionDef, node: ast.Call) -> PyValue:
        """A call into a recursive cycle stays a call, to the callee's body lowered once.

        It may raise RecursionError: CPython refuses a frame past its recursion limit (1000 frames by
        default), which a recursion over an unbounded int reaches, and how many frames lie below the
        analysed function is not known. So a call from outside the cycle (the analysed function's own
        body, or a function inlined into it) may raise it: assert then holds only where no such call is
        reached, and a witness is believed only where the real run raises. Inside the cycle it is not
        laid out again: an exception raised there leaves every frame of the recursion unchanged (no
        `try` or `with` of a procedure holds a recursive call: handlers.py), and a procedure changes
        nothing its caller sees, so the outermost call raising it stands for every run that does. Runs
        that go on are followed as before: termination and returns-true are about the recursion as
        written, which RecursionError only cuts short (an unbounded recursion is a run that never
        returns, as the replay shows it)."""
        _, values = self.arguments(callee, node)
        if any(v.opaque or v.none != FALSE or v.list is not None for v in values):
            raise self.unsupported(f"{UNKNOWN} (or None, or a list) passed to the recursive function "
                                   f"`{callee.name}`", node)
        line = node.lineno
        if not self.in_procedure():
            full = self.b.temp("stack_full", BOOL)
            self.b.havoc(full, "whether the recursion reaches CPython's recursion limit", line)
            self.b.fail_unless(negate(full), raises("RecursionError", line,
                                                    f"`{_code(node)}`: maximum recursion depth exceeded"))
        self.procedure(callee)
        target = self.b.temp(f"{callee.name}.result", INT)
        self.b.emit(Call(callee.name, tuple(cast(v.expr, INT) for v in values), target), line)
        return PyValue(target)

    def procedure(self, callee: ast.FunctionDef) -> Procedure:
        """The body of `callee` as a procedure of its own (variables `name.x`), lowered on first use."""
        name = callee.name
        if name in self.procedures:
            return self.procedures[name]
        if callee.args.vararg or callee.args.kwarg:
            raise self.unsupported(f"the recursive function `{name}`, which takes *args or **kwargs", callee)
        discarded = results_discarded(self.module, name)
        if _may_return_none(callee) and not discarded:
            raise self.unsupported(f"the recursive function `{name}` may return None", callee)
        saved = self.b, self.frames
        self.b, self.frames = Builder(callee.lineno, prefix=f"{name}."), []
        names = _parameter_names(callee)
        frame = Frame(callee, f"{name}.", {}, set(names), procedure=True, result_unused=discarded)
        frame.result = Var(f"{name}.$return", INT)
        self.frames.append(frame)
        self.procedures[name] = Procedure(name, callee.lineno, [self.local(n) for n in names], frame.result,
                                          self.b.cfg)
        for n in sorted(f for f in self.flagged if f.startswith(frame.prefix)):
            self.b.assign(Var(n + "$bound", BOOL), FALSE, callee.lineno)
        for var in self.procedures[name].params:  # every call passes ints; the body may set one to None
            if var.name in self.optional_names:
                self.b.assign(self.none_flag(var), FALSE, callee.lineno)
        self.body(callee.body)
        if frame.result_unused and self.b.current is not None:  # falls off its end: None, which no call uses
            self.leave(PyValue(const(0, INT), TRUE), last_line(callee))
        self.b, self.frames = saved
        return self.procedures[name]

    def arguments(self, callee: ast.FunctionDef, node: ast.Call) -> tuple[list[str], list[PyValue]]:
        """The callee's parameter names and the values the call binds to them (its `*args` and `**kwargs`,
        if any, last: values of unknown type holding the extra arguments)."""
        params = callee.args
        positional = [a.arg for a in [*params.posonlyargs, *params.args]]
        names = [*positional, *(a.arg for a in params.kwonlyargs)]
        bound: dict[str, ast.expr] = {}
        if (len(node.args) > len(positional) and not params.vararg) or any(isinstance(a, ast.Starred)
                                                                          for a in node.args):
            raise self.unsupported(f"call to `{callee.name}` with too many or starred arguments", node)
        for n, a in zip(positional, node.args):
            bound[n] = a
        posonly = {a.arg for a in params.posonlyargs}
        for kw in node.keywords:
            if kw.arg is None or kw.arg in bound or kw.arg in posonly or (kw.arg not in names and not params.kwarg):
                raise self.unsupported(f"call to `{callee.name}` with keyword argument {kw.arg}", node)
            if kw.arg in names:
                bound[kw.arg] = kw.value
        defaults = dict(zip(positional[len(positional) - len(params.defaults):], params.defaults))
        defaults |= {a.arg: d for a, d in zip(params.kwonlyargs, params.kw_defaults) if d is not None}
        for n in names:
            if n not in bound and n not in defaults:
                raise self.unsupported(f"call to `{callee.name}` without argument '{n}'", node)
        # Python evaluates the arguments as written, positional then keyword: one that raises must not
        # pre-empt an earlier one that loops or raises otherwise.
        written = [*node.args, *(k.value for k in node.keywords)]
        values_written = self.in_order(written, lambda a: self.expression(a, allow_none=True, allow_list=True), node)
        given = {id(a): v for a, v in zip(written, values_written)}
        values = [given[id(bound[n])] if n in bound else self.default_value(defaults[n], n, callee, node)
                  for n in names]
        for extra in (params.vararg, params.kwarg):
            if extra is not None:
                names.append(extra.arg)
                values.append(self.fresh_opaque(node))
        return names, values

    def default_value(self, default: ast.expr, name: str, callee: ast.FunctionDef, node: ast.AST) -> PyValue:
        """A parameter's default, evaluated when the `def` ran: an int or bool constant keeps its type
        (`y: int = True` binds a bool; parameters are int variables, bools as 0/1), None is None, any other
        object is a value of unknown type."""
        if isinstance(default, ast.Constant) and default.value is None:
            return PyValue(const(0, INT), TRUE)
        try:
            return PyValue(cast(self.module_value(default, f"the default of '{name}' in `{callee.name}`", node), INT))
        except Unsupported:
            return self.fresh_opaque(node)


def _parameter_names(fn: ast.FunctionDef) -> list[str]:
    """The order arguments() gives values in: positional-only, ordinary, keyword-only."""
    a = fn.args
    return [p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]]


def _reassigned(fn: ast.FunctionDef, name: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == name and isinstance(t.ctx, ast.Store)
               for node in own_nodes(fn) for t in ast.walk(node))


def _may_return_none(fn: ast.FunctionDef) -> bool:
    for node in own_nodes(fn):
        if isinstance(node, ast.Return) and (node.value is None or (
                isinstance(node.value, ast.Constant) and node.value.value is None)):
            return True
    return not _always_returns(fn.body)


def _always_returns(stmts: list[ast.stmt]) -> bool:
    for s in stmts:
        if isinstance(s, (ast.Return, ast.Raise)):
            return True
        if isinstance(s, ast.If) and _always_returns(s.body) and _always_returns(s.orelse):
            return True
        if isinstance(s, ast.While) and isinstance(s.test, ast.Constant) and s.test.value and not any(
                isinstance(n, ast.Break) for n in ast.walk(s)):
            return True
    return False
