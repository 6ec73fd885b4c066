"""Python frontend: a module's functions, over unbounded ints and bools, lowered to the IR.

Supported: int and bool parameters (annotations or leading `assert isinstance(...)`), `+ - * // % **`
(constant exponent), `abs min max`, comparisons (chained), `and or not`, conditional expressions,
`if/elif/else`, `while` and `for ... in range(...)` (with `else`), `break/continue/return/pass`,
`assert`, `raise`, `assume(...)` from `solomonic.reason`, module-level constants, and calls to other
functions of the module (inlined). Everything else raises `Unsupported` naming the construct and line.

Names mean what they mean after the module is imported: a constant is a name bound once, by one
top-level assignment; a call runs the module's function only if nothing else binds its name and it is
neither decorated nor a generator; a builtin is one the module does not shadow; a function's locals are
every name its body binds, reachable or not.

Every variable is an unbounded integer in the IR (bools as 0/1, so truthiness and arithmetic agree with
Python). The exceptions the subset can raise are explicit events: AssertionError, ZeroDivisionError,
UnboundLocalError, ValueError from `range` with step 0, and explicit `raise`.
"""

from __future__ import annotations

import ast
import builtins
from collections import Counter
from dataclasses import dataclass, field

from solomonic.reason.frontends.calls import on_cycles
from solomonic.reason.frontends.cfg import Builder, Loop
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    BadInput,
    Call,
    Const,
    Event,
    Expr,
    Function,
    Input,
    Procedure,
    Unsupported,
    Var,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    ite,
    negate,
)
from solomonic.reason.ir.evaluate import EvaluationError, evaluate

ANALYSER_QUESTIONS = {"terminates", "check"}  # names under which a program asks the analyser about itself
MAX_EXPONENT = 64
PURE_BUILTINS = {"isinstance", "abs", "min", "max", "int", "bool"}  # cannot fail on ints and bools


@dataclass
class PyValue:
    """A lowered Python value: an int- or bool-typed expression, or possibly None (call results)."""

    expr: Expr
    none: Expr = FALSE  # true where the value is None


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

    def function_line(self, name: str) -> int:
        return self.functions[name].lineno


def parse_python(path: str, source: bytes) -> PythonModule:
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as err:
        raise BadInput(f"{path}:{err.lineno or 0}: syntax error: {err.msg}") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise BadInput(f"{path}: cannot be read as Python source: {err}") from None
    functions: dict[str, ast.FunctionDef] = {}
    assigned: dict[str, list[ast.expr]] = {}
    assume_names: set[str] = set()
    reason_modules: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = node
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
    globals_ = {n for fn in functions.values() for node in ast.walk(fn) if isinstance(node, ast.Global)
                for n in node.names}
    defs = Counter(node.name for node in tree.body if isinstance(node, ast.FunctionDef))
    constants = {n: vs[0] for n, vs in assigned.items()
                 if len(vs) == 1 and vs[0] is not None and bindings[n] == 1 and n not in globals_}
    rebound = {n for n in functions if bindings[n] != defs[n] or n in globals_}
    assume_names = {n for n in assume_names if bindings[n] == 1 and n not in globals_}  # not `assume = print`
    reason_modules = {n for n in reason_modules if bindings[n.split(".")[0]] == 1 and n not in globals_}
    return PythonModule(path, tree, functions, constants, assume_names, reason_modules,
                        set(bindings) | globals_, rebound)


def _module_bindings(tree: ast.Module) -> Counter[str]:
    """How often each name is bound (assigned, deleted, imported, defined) in the module's own scope."""
    return _scope_bindings(tree.body)


def _scope_bindings(nodes: list[ast.stmt]) -> Counter[str]:
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


def returns_value(fn: ast.FunctionDef) -> bool:
    """Whether `returns-true` applies: some `return` gives a value, or the annotation is not None."""
    if fn.returns is not None and not (isinstance(fn.returns, ast.Constant) and fn.returns.value is None):
        return True
    return any(isinstance(n, ast.Return) and n.value is not None
               and not (isinstance(n.value, ast.Constant) and n.value.value is None)
               for n in _own_nodes(fn))


def _own_nodes(fn: ast.FunctionDef):
    """The nodes of fn's body, not descending into nested functions or classes."""
    todo = list(fn.body)
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                todo.append(child)


def lower_python(module: PythonModule, name: str) -> Function:
    fn = module.functions[name]
    # First pass: find the locals that may be read before they are assigned; the second pass gives
    # exactly those a flag, so that UnboundLocalError is modelled only where it can happen.
    probe = _Lowering(module, fn, flagged=set())
    probe.lower_entry()
    lowering = _Lowering(module, fn, flagged=probe.maybe_unbound)
    return lowering.lower_entry()


@dataclass
class _Frame:
    """One function being lowered (the entry function, or a call being inlined)."""

    fn: ast.FunctionDef
    prefix: str
    variables: dict[str, Var]
    assigned: set[str]  # locals definitely assigned at the current point
    loops: list[Loop] = field(default_factory=list)
    loop_assigned: list[list[set[str]]] = field(default_factory=list)  # per loop: assigned sets at breaks
    result: Var | None = None
    result_none: Var | None = None
    join: int | None = None
    procedure: bool = False  # the body of a function on a recursive cycle, lowered on its own


class _Lowering:
    def __init__(self, module: PythonModule, fn: ast.FunctionDef, flagged: set[str]):
        self.module = module
        self.fn = fn
        self.flagged = flagged  # prefixed local names that need an "is bound" flag
        self.maybe_unbound: set[str] = set()
        self.b = Builder(fn.lineno)
        self.frames: list[_Frame] = []
        self.calls = 0
        self.declared: dict[str, str] = {}  # parameter -> "int" | "bool"
        self.recursive = recursive_functions(module)
        self.procedures: dict[str, Procedure] = {}
        self.locals_of: dict[str, set[str]] = {}  # function name -> its local names

    # ------------------------------------------------------------------------------------------ helpers

    def unsupported(self, what: str, node: ast.AST) -> Unsupported:
        return Unsupported(what, self.module.path, getattr(node, "lineno", self.fn.lineno))

    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def local(self, name: str) -> Var:
        var = self.frame.variables.get(name)
        if var is None:
            var = Var(self.frame.prefix + name, INT)
            self.frame.variables[name] = var
        return var

    def bound_flag(self, name: str) -> Var:
        return Var(self.frame.prefix + name + "$bound", BOOL)

    def as_int(self, v: PyValue, node: ast.AST) -> Expr:
        if v.none != FALSE:
            raise self.unsupported("a value that may be None used as a number", node)
        return cast(v.expr, INT)

    def truth(self, v: PyValue) -> Expr:
        value = v.expr if v.expr.type == BOOL else compare("ne", v.expr, const(0, INT))
        return conj(negate(v.none), value) if v.none != FALSE else value

    # ------------------------------------------------------------------------------------------- entry

    def lower_entry(self) -> Function:
        fn = self.fn
        self.ordinary(fn, fn)
        frame = _Frame(fn, "", {}, set())
        self.frames.append(frame)
        inputs = self.declare_parameters(fn)
        frame.result = Var("$return", INT)
        frame.result_none = Var("$return_none", BOOL)
        for flag in sorted(self.flagged):
            if "." not in flag:
                self.b.assign(Var(flag + "$bound", BOOL), FALSE, fn.lineno)
        self.body(fn.body)
        if self.b.current is not None:
            self.finish_return(PyValue(const(0, INT), TRUE), _last_line(fn))
        return Function(fn.name, "python", self.module.path, fn.lineno, inputs, self.b.cfg, returns_value(fn),
                        procedures=self.procedures)

    def declare_parameters(self, fn: ast.FunctionDef) -> list[Input]:
        args = fn.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise self.unsupported("*args, **kwargs and keyword-only or positional-only parameters", fn)
        for stmt in _leading_asserts(fn):
            for call in _isinstance_calls(stmt.test):
                target, kinds = call
                self.declared.setdefault(target, kinds)
        inputs = []
        for a in args.args:
            kind = None
            if a.annotation is not None:
                kind = _annotation_kind(a.annotation)
                if kind is None:
                    raise self.unsupported(f"parameter '{a.arg}' of type {ast.unparse(a.annotation)}", a)
            kind = kind or self.declared.get(a.arg)
            if kind is None:
                raise self.unsupported(
                    f"parameter '{a.arg}' without a type (annotate it as int or bool, or assert isinstance)", a)
            self.declared[a.arg] = kind
            var = self.local(a.arg)
            self.frame.assigned.add(a.arg)
            inputs.append(Input(var, a.arg, kind))
            if kind == "bool":
                self.b.assume(conj(compare("ge", var, const(0, INT)), compare("le", var, const(1, INT))),
                              fn.lineno)
        return inputs

    # ---------------------------------------------------------------------------------------- statements

    def body(self, stmts: list[ast.stmt]) -> None:
        for s in stmts:
            if self.b.current is None:
                return  # unreachable code after return/break/continue/raise
            self.statement(s)

    def statement(self, s: ast.stmt) -> None:
        line = s.lineno
        if isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant):
                return  # docstrings and bare constants
            self.expression(s.value, allow_none=True)
        elif isinstance(s, ast.Pass):
            pass
        elif isinstance(s, ast.Assign):
            self.assign(s.targets, s.value, line)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.assign([s.target], s.value, line)
        elif isinstance(s, ast.AugAssign):
            if not isinstance(s.target, ast.Name):
                raise self.unsupported("augmented assignment to something other than a name", s)
            value = self.binop(s.op, ast.Name(s.target.id, ast.Load(), lineno=line), s.value, s)
            self.store(s.target.id, value, s)
        elif isinstance(s, ast.If):
            self.if_statement(s)
        elif isinstance(s, ast.While):
            self.while_statement(s)
        elif isinstance(s, ast.For):
            self.for_statement(s)
        elif isinstance(s, ast.Break):
            self.loop_exit(s, "break")
        elif isinstance(s, ast.Continue):
            self.loop_exit(s, "continue")
        elif isinstance(s, ast.Return):
            self.return_statement(s)
        elif isinstance(s, ast.Assert):
            self.exception_argument(s.msg)
            ok = self.truth(self.expression(s.test))
            self.b.fail_unless(ok, Event("assert", line, f"assertion `{ast.unparse(s.test)}` fails"))
        elif isinstance(s, ast.Raise):
            self.exception_argument(s.exc)
            self.exception_argument(s.cause)
            what = ast.unparse(s.exc) if s.exc is not None else "re-raise"
            self.b.end(Event("exception", line, f"raise {what}"))
        else:
            raise self.unsupported(f"statement `{type(s).__name__}`", s)

    def exception_argument(self, node: ast.expr | None) -> None:
        """An assert's message, or what `raise` raises, is evaluated as the exception is raised, and is
        not modelled: whatever it does, an exception escapes, unless its evaluation never ends. So it
        may not call anything but a builtin exception class, nor loop (comprehensions) nor take long
        (`**`): with `assert x > 0, spin(x)` the failing assertion would otherwise count as an end."""
        for n in ast.walk(node) if node is not None else ():
            exception_class = isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and \
                self.is_builtin(n.func.id) and _builtin_exception(n.func.id)
            if (isinstance(n, ast.Call) and not exception_class) or isinstance(n, (
                    ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Pow, ast.Await,
                    ast.Yield, ast.YieldFrom)):
                raise self.unsupported(f"`{ast.unparse(node)}` as an exception or assertion message (its "
                                       "evaluation might not end)", node)

    def assign(self, targets: list[ast.expr], value_node: ast.expr, line: int) -> None:
        if len(targets) == 1 and isinstance(targets[0], ast.Tuple):
            target = targets[0]
            if not isinstance(value_node, ast.Tuple) or len(value_node.elts) != len(target.elts):
                raise self.unsupported("tuple assignment from something other than a tuple of equal length",
                                       value_node)
            values = [self.expression(v) for v in value_node.elts]
            temps = []
            for v, t in zip(values, target.elts):  # all right-hand sides are evaluated first
                if not isinstance(t, ast.Name):
                    raise self.unsupported("assignment to something other than a name", t)
                tmp = self.b.temp("tuple", INT)
                self.b.assign(tmp, self.as_int(v, t), line)
                temps.append(tmp)
            for tmp, t in zip(temps, target.elts):
                self.store(t.id, PyValue(tmp), t)
            return
        value = self.expression(value_node)
        if len(targets) > 1:  # `x = y = x + 1`: each target gets the value from before the first store
            tmp = self.b.temp("value", INT)
            self.b.assign(tmp, self.as_int(value, value_node), line)
            value = PyValue(tmp)
        for t in targets:
            if not isinstance(t, ast.Name):
                raise self.unsupported("assignment to something other than a name", t)
            self.store(t.id, value, t)

    def store(self, name: str, value: PyValue, node: ast.AST) -> None:
        var = self.local(name)
        self.b.assign(var, self.as_int(value, node), node.lineno)
        if self.frame.prefix + name in self.flagged:
            self.b.assign(self.bound_flag(name), TRUE, node.lineno)
        self.frame.assigned.add(name)

    def if_statement(self, s: ast.If) -> None:
        cond = self.truth(self.expression(s.test))
        yes, no = self.b.branch(cond, s.lineno)
        before = set(self.frame.assigned)
        join = self.b.location(s.lineno)
        ends = []
        for loc, stmts in ((yes, s.body), (no, s.orelse)):
            if loc is None:
                continue
            self.frame.assigned = set(before)
            self.b.place(loc)
            self.body(stmts)
            if self.b.current is not None:
                ends.append(set(self.frame.assigned))
            self.b.jump(join, s.lineno)
        self.frame.assigned = set.intersection(*ends) if ends else before
        self.b.place(join)

    def loop(self, s: ast.While | ast.For, head: int, cond_of_head, before_body) -> None:
        """Lay out `head: if cond: body; goto head else: orelse`; `break` skips the else branch."""
        after = self.b.location(s.lineno)
        entry_assigned = set(self.frame.assigned)
        self.b.jump(head, s.lineno)
        self.b.place(head)
        cond = cond_of_head()
        yes, no = self.b.branch(cond, s.lineno)
        loop = Loop(break_to=after, continue_to=head)
        self.frame.loops.append(loop)
        self.frame.loop_assigned.append([])
        if yes is not None:
            self.b.place(yes)
            before_body()
            self.body(s.body)
            self.b.jump(head, s.lineno)
        self.frame.loops.pop()
        break_sets = self.frame.loop_assigned.pop()
        exits = list(break_sets)
        if no is not None:
            self.frame.assigned = set(entry_assigned)
            self.b.place(no)
            self.body(s.orelse)
            if self.b.current is not None:
                exits.append(set(self.frame.assigned))
            self.b.jump(after, s.lineno)
        self.frame.assigned = set.intersection(*exits) if exits else entry_assigned
        self.b.place(after if exits else None)  # `while True` without break: nothing follows

    def while_statement(self, s: ast.While) -> None:
        head = self.b.location(s.lineno)
        self.loop(s, head, lambda: self.truth(self.expression(s.test)), lambda: None)

    def for_statement(self, s: ast.For) -> None:
        if not isinstance(s.target, ast.Name):
            raise self.unsupported("for-loop target other than a single name", s.target)
        it = s.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and self.is_builtin("range") and 1 <= len(it.args) <= 3 and not it.keywords):
            raise self.unsupported("for-loop over something other than range(...)", it)
        args = [self.as_int(self.expression(a), a) for a in it.args]
        start, stop, step = (const(0, INT), args[0], const(1, INT)) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else const(1, INT))
        line = s.lineno
        if not isinstance(step, Const):
            self.b.fail_unless(compare("ne", step, const(0, INT)),
                               Event("exception", line, "ValueError: range() arg 3 must not be zero"))
        elif step.value == 0:
            self.b.end(Event("exception", line, "ValueError: range() arg 3 must not be zero"))
            return
        counter, bound, stride = (self.b.temp("range", INT) for _ in range(3))
        self.b.assign(counter, start, line)
        self.b.assign(bound, stop, line)
        self.b.assign(stride, step, line)
        if isinstance(step, Const):
            cond = compare("lt" if step.value > 0 else "gt", counter, bound)
        else:
            positive = compare("gt", stride, const(0, INT))
            cond = disj(conj(positive, compare("lt", counter, bound)),
                        conj(negate(positive), compare("gt", counter, bound)))

        def advance() -> None:
            self.store(s.target.id, PyValue(counter), s.target)
            self.b.assign(counter, arith("add", counter, stride), line)

        head = self.b.location(line)
        self.loop(s, head, lambda: cond, advance)

    def loop_exit(self, s: ast.stmt, kind: str) -> None:
        if not self.frame.loops:
            raise self.unsupported(f"`{kind}` outside a loop", s)
        loop = self.frame.loops[-1]
        if kind == "break":
            self.frame.loop_assigned[-1].append(set(self.frame.assigned))
            self.b.jump(loop.break_to, s.lineno)
        else:
            self.b.jump(loop.continue_to, s.lineno)

    def return_statement(self, s: ast.Return) -> None:
        value = PyValue(const(0, INT), TRUE) if s.value is None else self.expression(s.value, allow_none=True)
        if len(self.frames) > 1 or self.frame.procedure:
            self.leave(value, s.lineno)
        else:
            self.finish_return(value, s.lineno)

    def leave(self, value: PyValue, line: int) -> None:
        """Return from an inlined function or a procedure."""
        f = self.frame
        self.b.assign(f.result, cast(value.expr, INT), line)
        if not f.procedure:
            self.b.assign(f.result_none, value.none, line)
            self.b.jump(f.join, line)
        elif value.none == FALSE:
            self.b.end(Event("return", line, f"{f.fn.name}() returns"))
        else:
            raise self.unsupported(f"the recursive function `{f.fn.name}` returning None", f.fn)

    def finish_return(self, value: PyValue, line: int) -> None:
        """Leave the analysed function: a true value ends in 'return', a false one in 'return-false'."""
        f = self.frame
        self.b.assign(f.result, cast(value.expr, INT), line)
        self.b.assign(f.result_none, value.none, line)
        truthy = self.truth(PyValue(f.result, f.result_none))
        shown = "None" if value.none == TRUE else "a false value"
        yes, no = self.b.branch(truthy, line)
        if yes is not None:
            self.b.place(yes)
            self.b.end(Event("return", line, "returns a true value"))
        if no is not None:
            self.b.place(no)
            self.b.end(Event("return-false", line, f"returns {shown}"))

    # --------------------------------------------------------------------------------------- expressions

    def is_local(self, name: str) -> bool:
        fn = self.frame.fn
        if fn.name not in self.locals_of:
            self.locals_of[fn.name] = _local_names(fn)
        return name in self.frame.variables or name in self.locals_of[fn.name]

    def is_builtin(self, name: str) -> bool:
        return not self.is_local(name) and name not in self.module.functions and name not in self.module.bound

    def expression(self, node: ast.expr, allow_none: bool = False) -> PyValue:
        value = self._expression(node)
        if value.none != FALSE and not allow_none:
            raise self.unsupported("a value that may be None used in an expression", node)
        return value

    def _expression(self, node: ast.expr) -> PyValue:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return PyValue(const(node.value, BOOL))
            if isinstance(node.value, int):
                return PyValue(const(node.value, INT))
            if node.value is None:
                return PyValue(const(0, INT), TRUE)
            raise self.unsupported(f"constant of type {type(node.value).__name__}", node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node.op, node.left, node.right, node)
        if isinstance(node, ast.UnaryOp):
            operand = self.expression(node.operand)
            if isinstance(node.op, ast.Not):
                return PyValue(negate(self.truth(operand)))
            if isinstance(node.op, ast.USub):
                return PyValue(arith("neg", self.as_int(operand, node)))
            if isinstance(node.op, ast.UAdd):
                return PyValue(self.as_int(operand, node))
            raise self.unsupported(f"operator {type(node.op).__name__}", node)
        if isinstance(node, ast.BoolOp):
            return self.boolop(node)
        if isinstance(node, ast.Compare):
            return self.comparison(node)
        if isinstance(node, ast.IfExp):
            cond = self.truth(self.expression(node.test))
            return self.conditional(cond, node.body, node.orelse, node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.unsupported(f"expression `{type(node).__name__}`", node)

    def name(self, node: ast.Name) -> PyValue:
        n = node.id
        f = self.frame
        if self.is_local(n):
            var = self.local(n)
            if n not in f.assigned:
                key = f.prefix + n
                self.maybe_unbound.add(key)
                if key in self.flagged:
                    self.b.fail_unless(self.bound_flag(n), Event(
                        "exception", node.lineno, f"UnboundLocalError: '{n}' is read before it is assigned"))
            return PyValue(var)
        if n in self.module.constants:
            return PyValue(self.module_value(self.module.constants[n], f"module-level name '{n}'", node))
        if n in ("True", "False"):
            return PyValue(const(n == "True", BOOL))
        if n in ANALYSER_QUESTIONS:
            raise self.unsupported(f"a question to the analyser itself (`{n}`): no correct yes/no answer "
                                   "exists for a program that consults its own analysis", node)
        if n in self.module.bound:
            raise self.unsupported(f"module-level name '{n}', bound more than once or not to a constant", node)
        raise self.unsupported(f"undefined name '{n}'", node)

    def module_value(self, value_node: ast.expr, what: str, node: ast.AST) -> Expr:
        """The value of an expression evaluated once in the module's scope (a constant, or a parameter's
        default, which Python evaluates when the `def` runs): it must be a constant expression."""
        scope = _module_scope()
        probe = _Lowering(self.module, scope, set())
        probe.frames.append(_Frame(scope, "", {}, set()))
        try:
            value = probe.expression(value_node)
            result = evaluate(value.expr, {})
        except (Unsupported, KeyError, EvaluationError):
            raise self.unsupported(f"{what} is not an int or bool constant", node) from None
        if len(probe.b.cfg.edges) > 1:
            raise self.unsupported(f"{what} is not a constant expression", node)
        return const(result, value.expr.type)

    def binop(self, op: ast.operator, left_node: ast.expr, right_node: ast.expr, node: ast.AST) -> PyValue:
        left = self.as_int(self.expression(left_node), left_node)
        right = self.as_int(self.expression(right_node), right_node)
        line = node.lineno
        simple = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul"}
        if type(op) in simple:
            return PyValue(arith(simple[type(op)], left, right))
        if isinstance(op, (ast.FloorDiv, ast.Mod)):
            symbol = "//" if isinstance(op, ast.FloorDiv) else "%"
            self.b.fail_unless(compare("ne", right, const(0, INT)), Event(
                "exception", line, f"ZeroDivisionError: `{ast.unparse(node)}` divides by zero"))
            return PyValue(arith("floordiv" if symbol == "//" else "floormod", left, right))
        if isinstance(op, ast.Pow):
            if not (isinstance(right, Const) and 0 <= right.value <= MAX_EXPONENT):
                raise self.unsupported(f"`**` with an exponent that is not a constant in 0..{MAX_EXPONENT}", node)
            result: Expr = const(1, INT)
            for _ in range(right.value):
                result = left if result == const(1, INT) else arith("mul", result, left)
            return PyValue(result)
        raise self.unsupported(f"operator `{type(op).__name__}` (only + - * // % ** on ints)", node)

    def comparison(self, node: ast.Compare) -> PyValue:
        """`a < b < c` is `a < b and b < c` with b evaluated once; c only where a < b held."""
        ops = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
        for op in node.ops:
            if type(op) not in ops:
                raise self.unsupported(f"comparison `{type(op).__name__}`", node)
        left = self.as_int(self.expression(node.left), node.left)
        if not any(_may_fail(c, self) for c in node.comparators[1:]):
            parts = []
            for op, right_node in zip(node.ops, node.comparators):
                right = self.as_int(self.expression(right_node), right_node)
                parts.append(compare(ops[type(op)], left, right))
                left = right
            return PyValue(conj(*parts))
        line = node.lineno
        result = self.b.temp("chain", INT)
        self.b.assign(result, const(0, INT), line)
        join = self.b.location(line)
        for k, (op, right_node) in enumerate(zip(node.ops, node.comparators)):
            right = self.as_int(self.expression(right_node), right_node)
            holds = compare(ops[type(op)], left, right)
            if k == len(node.ops) - 1:
                self.b.assign(result, ite(holds, const(1, INT), const(0, INT)), line)
                self.b.jump(join, line)
            else:
                yes, no = self.b.branch(holds, line)
                if no is not None:
                    self.b.place(no)
                    self.b.jump(join, line)
                self.b.place(yes)
            left = right
        self.b.place_if_reached(join)
        return PyValue(compare("ne", result, const(0, INT)))

    def boolop(self, node: ast.BoolOp) -> PyValue:
        """`a and b` is b where a is true, else a (values, not just truth); b runs only where needed."""
        is_and = isinstance(node.op, ast.And)
        result = self.expression(node.values[0])
        for right_node in node.values[1:]:
            cond = self.truth(result)
            if not is_and:
                cond = negate(cond)
            if _may_fail(right_node, self):
                result = self.guarded(cond, right_node, result, node)
            else:
                right = self.expression(right_node)
                result = self.select(cond, right, result)
        return result

    def select(self, cond: Expr, a: PyValue, b: PyValue) -> PyValue:
        if a.expr.type == b.expr.type:
            return PyValue(ite(cond, a.expr, b.expr))
        return PyValue(ite(cond, cast(a.expr, INT), cast(b.expr, INT)))

    def guarded(self, cond: Expr, then_node: ast.expr, otherwise: PyValue, node: ast.AST) -> PyValue:
        """Evaluate then_node only where cond holds (it may fail or call); else keep `otherwise`."""
        tmp = self.b.temp("value", INT)
        self.b.assign(tmp, cast(otherwise.expr, INT), node.lineno)
        join = self.b.location(node.lineno)
        yes, no = self.b.branch(cond, node.lineno)
        if yes is not None:
            self.b.place(yes)
            self.b.assign(tmp, self.as_int(self.expression(then_node), then_node), node.lineno)
            self.b.jump(join, node.lineno)
        if no is not None:
            self.b.place(no)
            self.b.jump(join, node.lineno)
        self.b.place(join)
        return PyValue(tmp)

    def conditional(self, cond: Expr, body: ast.expr, orelse: ast.expr, node: ast.AST) -> PyValue:
        if not _may_fail(body, self) and not _may_fail(orelse, self):
            return self.select(cond, self.expression(body), self.expression(orelse))
        otherwise = self.guarded(negate(cond), orelse, PyValue(const(0, INT)), node)
        return self.guarded(cond, body, otherwise, node)

    def call(self, node: ast.Call) -> PyValue:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        if self.is_assume(func):
            if len(node.args) != 1 or node.keywords:
                raise self.unsupported("assume() takes exactly one condition", node)
            self.b.assume(self.truth(self.expression(node.args[0])), node.lineno)
            return PyValue(const(0, INT), TRUE)
        if name is not None and name in self.module.functions and not self.is_local(name):
            self.ordinary(self.module.functions[name], node)
            if name in self.recursive:
                return self.recursive_call(self.module.functions[name], node)
            return self.inline(self.module.functions[name], node)
        if name is not None and self.is_builtin(name):
            if name in ANALYSER_QUESTIONS:
                raise self.unsupported(f"a question to the analyser itself (`{name}`): no correct yes/no "
                                       "answer exists for a program that consults its own analysis", node)
            if name == "isinstance":
                return self.isinstance(node)
            return self.builtin(name, node)
        raise self.unsupported(f"call to `{ast.unparse(func)}`", node)

    def ordinary(self, fn: ast.FunctionDef, node: ast.AST) -> None:
        """Refuse functions whose call does not run their body: one whose name the module binds to
        something else too, a decorated one (the decorator's result runs), a generator function (even one
        whose `yield` cannot be reached: it returns a generator)."""
        if fn.name in self.module.rebound:
            raise self.unsupported(f"`{fn.name}`, a name the module also binds otherwise", node)
        if fn.decorator_list:
            raise self.unsupported(f"`{fn.name}`, decorated with @{ast.unparse(fn.decorator_list[0])}", node)
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(fn)):
            raise self.unsupported(f"`{fn.name}`, a generator function (it yields)", node)

    def is_assume(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return func.id in self.module.assume_names and not self.is_local(func.id)
        dotted = ast.unparse(func)
        return dotted.endswith(".assume") and dotted.rsplit(".", 1)[0] in self.module.reason_modules \
            and not self.is_local(dotted.split(".")[0])

    def builtin(self, name: str, node: ast.Call) -> PyValue:
        if node.keywords:
            raise self.unsupported(f"keyword arguments to {name}()", node)
        args = [self.expression(a) for a in node.args]
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
        raise self.unsupported(f"call to `{name}` with {len(args)} argument(s)", node)

    def isinstance(self, node: ast.Call) -> PyValue:
        """Values in the subset are ints and bools, so isinstance is decided statically."""
        if len(node.args) != 2 or node.keywords:
            raise self.unsupported("isinstance() takes two arguments", node)
        value = self.expression(node.args[0], allow_none=True)
        nodes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        # Only builtin classes are decided: ints are instances of others too (numbers.Integral,
        # collections.abc.Hashable, runtime-checkable protocols), and a module may rebind a builtin's name.
        classes = [getattr(builtins, c.id, None) if isinstance(c, ast.Name) and self.is_builtin(c.id)
                   else None for c in nodes]
        if not all(isinstance(c, type) for c in classes):
            raise self.unsupported("isinstance() with a class other than a builtin one", node)
        if value.none == TRUE:
            return PyValue(const(any(isinstance(None, c) for c in classes), BOOL))
        if value.none != FALSE:
            raise self.unsupported("isinstance() of a value that may be None", node)
        if any(issubclass(int, c) for c in classes):
            return PyValue(TRUE)
        if bool in classes:
            declared = isinstance(node.args[0], ast.Name) and len(self.frames) == 1 and \
                self.declared.get(node.args[0].id) == "bool" and not _reassigned(self.fn, node.args[0].id)
            if value.expr.type == BOOL or declared:
                return PyValue(TRUE)
            raise self.unsupported("isinstance(..., bool) of a value that may be an int", node)
        return PyValue(FALSE)

    def inline(self, callee: ast.FunctionDef, node: ast.Call) -> PyValue:
        names, values = self.arguments(callee, node)
        self.calls += 1
        prefix = f"{callee.name}#{self.calls}."
        frame = _Frame(callee, prefix, {}, set(names))
        frame.result = Var(prefix + "$return", INT)
        frame.result_none = Var(prefix + "$return_none", BOOL)
        frame.join = self.b.location(node.lineno)
        self.frames.append(frame)
        for n, v in zip(names, values):
            self.b.assign(self.local(n), v, node.lineno)
        for n in sorted(f for f in self.flagged if f.startswith(prefix)):
            self.b.assign(Var(n + "$bound", BOOL), FALSE, node.lineno)
        self.body(callee.body)
        if self.b.current is not None:  # falls off the end: returns None
            self.b.assign(frame.result, const(0, INT), node.lineno)
            self.b.assign(frame.result_none, TRUE, node.lineno)
            self.b.jump(frame.join, node.lineno)
        self.frames.pop()
        self.b.place(frame.join)
        may_be_none = _may_return_none(callee)
        return PyValue(frame.result, frame.result_none if may_be_none else FALSE)

    def recursive_call(self, callee: ast.FunctionDef, node: ast.Call) -> PyValue:
        """A call into a recursive cycle stays a call, to the callee's body lowered once."""
        _, values = self.arguments(callee, node)
        self.procedure(callee)
        target = self.b.temp(f"{callee.name}.result", INT)
        self.b.emit(Call(callee.name, tuple(values), target), node.lineno)
        return PyValue(target)

    def procedure(self, callee: ast.FunctionDef) -> Procedure:
        """The body of `callee` as a procedure of its own (variables `name.x`), lowered on first use."""
        name = callee.name
        if name in self.procedures:
            return self.procedures[name]
        if _may_return_none(callee):
            raise self.unsupported(f"the recursive function `{name}` may return None", callee)
        saved = self.b, self.frames
        self.b, self.frames = Builder(callee.lineno, prefix=f"{name}."), []
        names = [a.arg for a in callee.args.args]
        frame = _Frame(callee, f"{name}.", {}, set(names), procedure=True)
        frame.result = Var(f"{name}.$return", INT)
        self.frames.append(frame)
        self.procedures[name] = Procedure(name, callee.lineno, [self.local(n) for n in names], frame.result,
                                          self.b.cfg)
        for n in sorted(f for f in self.flagged if f.startswith(frame.prefix)):
            self.b.assign(Var(n + "$bound", BOOL), FALSE, callee.lineno)
        self.body(callee.body)
        self.b, self.frames = saved
        return self.procedures[name]

    def arguments(self, callee: ast.FunctionDef, node: ast.Call) -> tuple[list[str], list[Expr]]:
        """The callee's parameter names and the values the call binds to them."""
        params = callee.args
        if params.vararg or params.kwarg or params.kwonlyargs or params.posonlyargs:
            raise self.unsupported(f"call to `{callee.name}` with *args, **kwargs or special parameters", node)
        names = [a.arg for a in params.args]
        bound: dict[str, ast.expr] = {}
        if len(node.args) > len(names):
            raise self.unsupported(f"call to `{callee.name}` with too many arguments", node)
        for n, a in zip(names, node.args):
            bound[n] = a
        for kw in node.keywords:
            if kw.arg is None or kw.arg not in names or kw.arg in bound:
                raise self.unsupported(f"call to `{callee.name}` with keyword argument {kw.arg}", node)
            bound[kw.arg] = kw.value
        defaults = dict(zip(names[len(names) - len(params.defaults):], params.defaults))
        for n in names:
            if n not in bound and n not in defaults:
                raise self.unsupported(f"call to `{callee.name}` without argument '{n}'", node)
        # Python evaluates the arguments as written, positional then keyword: one that raises must not
        # pre-empt an earlier one that loops or raises otherwise.
        written = [*node.args, *(k.value for k in node.keywords)]
        given = {id(a): self.as_int(self.expression(a), a) for a in written}
        # A default is evaluated like a module constant and keeps its type (`y: int = True` binds a bool);
        # parameters are int variables (bools as 0/1), so it is stored as an int, as an argument is.
        values = [given[id(bound[n])] if n in bound else
                  cast(self.module_value(defaults[n], f"the default of '{n}' in `{callee.name}`", node), INT)
                  for n in names]
        return names, values


# ------------------------------------------------------------------------------------------- AST queries


def _annotation_kind(annotation: ast.expr) -> str | None:
    if isinstance(annotation, ast.Name) and annotation.id in ("int", "bool"):
        return annotation.id
    if isinstance(annotation, ast.Constant) and annotation.value in ("int", "bool"):
        return annotation.value
    return None


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
            kind = _annotation_kind(p.args[1])
            if kind is not None:
                out.append((p.args[0].id, kind))
    return out


def _local_names(fn: ast.FunctionDef) -> set[str]:
    """fn's local variables, as Python decides them: its parameters and every name its body binds in any
    way (even where unreachable), less those it declares global."""
    declared = {n for node in _own_nodes(fn) if isinstance(node, (ast.Global, ast.Nonlocal))
                for n in node.names}
    return ({a.arg for a in fn.args.args} | set(_scope_bindings(fn.body))) - declared


def _reassigned(fn: ast.FunctionDef, name: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == name and isinstance(t.ctx, ast.Store)
               for node in _own_nodes(fn) for t in ast.walk(node))


def recursive_functions(module: PythonModule) -> set[str]:
    """The module's functions on a cycle of the call graph: lowered once each and called, not inlined."""
    calls = {name: {n.func.id for n in _own_nodes(fn) for n in ast.walk(n) if isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Name) and n.func.id in module.functions}
             for name, fn in module.functions.items()}
    return on_cycles(calls)


def _may_return_none(fn: ast.FunctionDef) -> bool:
    for node in _own_nodes(fn):
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


def _may_fail(node: ast.expr, lowering: _Lowering) -> bool:
    """Whether evaluating node can raise, call, or change state (so it must not run unconditionally)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name) and n.func.id in PURE_BUILTINS
                                            and lowering.is_builtin(n.func.id)):
            return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.FloorDiv, ast.Mod)) and not (
                isinstance(n.right, ast.Constant) and n.right.value != 0):
            return True
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and lowering.is_local(n.id) \
                and n.id not in lowering.frame.assigned:
            return True
    return False


def _builtin_exception(name: str) -> bool:
    value = getattr(builtins, name, None)
    return isinstance(value, type) and issubclass(value, BaseException)


def _module_scope() -> ast.FunctionDef:
    """A function without parameters or locals: lowering an expression in it sees only module names."""
    fn = ast.parse("def _module_scope():\n    pass").body[0]
    assert isinstance(fn, ast.FunctionDef)
    return fn


def _last_line(fn: ast.FunctionDef) -> int:
    return getattr(fn, "end_lineno", None) or fn.lineno

