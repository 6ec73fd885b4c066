"""Python frontend: a module's functions, over unbounded ints and bools, lowered to the IR.

Supported: int and bool parameters (declared, given, or assumed int where unannotated: see
parameters.py), `+ - * // % **`
(constant exponent), `~ << >> & | ^` where they are linear (bitwise.py), `abs min max`, comparisons (chained), `and or not`, conditional expressions,
`if/elif/else`, `while` and `for ... in range(...)` or `reversed(range(...))` (with `else`),
`break/continue/return/pass`, `assert`, `raise`, `try` (handlers.py), `with` (contexts.py), generator
expressions that `any`/`all`/`sum`/`min`/`max` consume (generators.py), `assume(...)` from
`solomonic.reason`, module-level constants, and calls to other functions of the module (inlined).
Everything else raises `Unsupported` naming the construct and line.

Names mean what they mean after the module is imported: a constant is a name bound once, by one
top-level assignment; a call runs the module's function only if nothing else binds its name and it is
neither decorated nor a generator; a builtin is one the module does not shadow; a function's locals are
every name its body binds, reachable or not.

Every variable is an unbounded integer in the IR (bools as 0/1, so truthiness and arithmetic agree with
Python). The exceptions the subset can raise are explicit events: AssertionError, ZeroDivisionError,
UnboundLocalError, ValueError from `range` with step 0, and explicit `raise`.

Lists of ints are modelled exactly where a parameter is declared or given as `list[int]` and where the
code makes them (displays, `[v] * n`, comprehensions, `list(range(...))`): lists.py; a list parameter is
one array input whose cell -1 holds its length (list_parameter).

strs are modelled exactly as sequences of code points where they are literals (in the function or a
module constant), `str` parameters (declared, given, or assumed from use: parameters.py), or what the
modelled operations make of them (strings.py, strcalls.py); a str parameter is one array input like a list's.

Values of any other type (other lists, objects, floats, bytes, None kept in a variable, what calls outside
the module return) are values of unknown type: arbitrary, every operation on them may raise or return
anything (opaque.py). An answer about a function that has them says what it assumes: each parameter
taken as one ("xs: a value of unknown type"), and that the operations on them and the calls not modelled
return, without changing the function's variables or the module's constants (the one assumption that
makes the model cover every real run). Methods of classes are lowered like functions whose receiver
(`self`, `cls`; not for a @staticmethod) is such a value; `self.other()` is a call not modelled.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.nesting import too_deep
from solomonic.reason.frontends.python.module import (
    PythonModule,
    last_line,
    own_nodes,
    parse_python,
    returns_value,
)
from solomonic.reason.frontends.python.parameters import LIST, OPTIONAL, STR, parameter_kinds
from solomonic.reason.frontends.python.returns import ReturnLowering
from solomonic.reason.frontends.python.state import ELEMENTS, UNKNOWN, Frame, ListRef, PyValue, chars_of
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    App,
    Function,
    Input,
    Unsupported,
    Var,
    compare,
    conj,
    const,
)
from solomonic.reason.replay.python import NONE_FLAG

MAX_PASSES = 50  # lowerings to find the variables of unknown type (each pass finds at least one more)
MAX_NAMED_CALLS = 6  # calls named in the assumption that they return; the rest are counted

__all__ = ["lower_python", "parse_python", "returns_value"]  # the front end's interface (api.py)


def lower_python(module: PythonModule, name: str, param_types: dict[str, str] | None = None) -> Function:
    """The function or method `name` of the module in the IR; `param_types` gives parameters their types
    by name, before their declarations (see parameters.py). Nesting deeper than the lowering's recursion
    follows is unsupported at its deepest point (nesting.py)."""
    try:
        return _lower(module, name, param_types)
    except RecursionError:
        definition: ast.AST = module.definition(name)
        raise too_deep(module.path, definition, ast.iter_child_nodes,
                       lambda node: getattr(node, "lineno", None)) from None


def _lower(module: PythonModule, name: str, param_types: dict[str, str] | None) -> Function:
    if name in module.coroutines:
        raise Unsupported(f"`async def {name}`: coroutine functions are not modelled", module.path,
                          module.function_line(name))
    fn, receiver = _definition(module, name)
    # Passes until the variables that hold values of unknown type are all known (a flow-insensitive
    # fixpoint over the stores: opaque.py); a pass may fail where a variable it has not yet taken as
    # opaque is used as one, and is then repeated. The last pass finds the locals that may be read
    # before they are assigned; the final lowering gives exactly those a flag, so that
    # UnboundLocalError is modelled only where it can happen.
    # The sets each pass finds more of: the variables that may hold values of unknown type, None, and
    # strs (of any length: wide; whose characters are not kept: vague), the names written as lists that are given something else too, and the
    # names not written as lists that are given new lists.
    found: dict[str, set[str]] = {kind: set() for kind in ("opaque", "optional", "plain", "listed", "strings",
                                                           "wide", "vague")}
    for _ in range(MAX_PASSES):
        probe = _Lowering(module, fn, flagged=set(), param_types=param_types, **found)
        probe.entry_name, probe.receiver = name, receiver
        try:
            probe.lower_entry()
        except Unsupported:
            if not any(probe.found().values()):
                raise
        if not any(probe.found().values()):
            break
        for kind, names in probe.found().items():
            found[kind] |= names
    else:
        raise Unsupported("the variables that hold values of unknown type did not settle", module.path, fn.lineno)
    lowering = _Lowering(module, fn, flagged=probe.maybe_unbound, param_types=param_types, **found)
    lowering.entry_name, lowering.receiver = name, receiver
    function = lowering.lower_entry()
    assert not any(lowering.found().values())  # the same lowering as the last pass
    return function


def _definition(module: PythonModule, name: str) -> tuple[ast.FunctionDef, str | None]:
    """The definition of the function or method `name`, and a method's receiver parameter (None for a
    function or a @staticmethod). Methods may be decorated with @staticmethod, @classmethod, @property
    and their property's @NAME.setter, .getter or .deleter only: none of them changes what the body does
    when it runs, only how it is called (a property's accessor is not called by its name: a witness is
    not replayed, see `_accessor`)."""
    if name not in module.methods:
        return module.functions[name], None
    fn = module.methods[name]
    line = fn.lineno
    if isinstance(fn, ast.AsyncFunctionDef):
        raise Unsupported(f"`async def {name}`: coroutine functions are not modelled", module.path, line)
    kinds = []
    for d in fn.decorator_list:
        builtin = isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod", "property") and \
            d.id not in module.bound and not module.star_import
        if not (builtin or _accessor(d, fn.name)):
            raise Unsupported(f"method `{name}`, decorated with @{ast.unparse(d)} (only @staticmethod, "
                              "@classmethod and @property are modelled)", module.path, line)
        kinds.append(ast.unparse(d))
    for node in own_nodes(fn):
        if isinstance(node, ast.Name) and node.id.startswith("__") and not node.id.endswith("__"):
            raise Unsupported(f"the private name `{node.id}` in a method (the class mangles it)", module.path,
                              node.lineno)
    positional = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
    receiver = positional[0] if positional and "staticmethod" not in kinds else None
    return fn, receiver


class _Lowering(ReturnLowering):
    """The lowering of the entry function: its parameters, its body, and how it ends."""

    entry_name = ""
    receiver: str | None = None

    def lower_entry(self) -> Function:
        fn = self.fn
        if self.entry_name in self.module.methods:
            if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(fn)):
                raise self.unsupported(f"`{self.entry_name}`, a generator function (it yields)", fn)
        else:
            self.ordinary(fn, fn, entry=True)
        frame = Frame(fn, "", {}, set())
        self.frames.append(frame)
        inputs = self.declare_parameters(fn)
        frame.result = Var("$return", INT)
        frame.result_none = Var("$return_none", BOOL)
        for flag in sorted(self.flagged):
            if "." not in flag:
                self.b.assign(Var(flag + "$bound", BOOL), FALSE, fn.lineno)
        self.body(fn.body)
        if self.b.current is not None:
            self.finish_return(PyValue(const(0, INT), TRUE), last_line(fn))
        self.assumptions = (*self.assumptions, *(f"{name}: {UNKNOWN} (a module-level name the module rebinds)"
                                                 for name in self.module_variables), *self.operations_assumed())
        replay_context = {}
        if any(_accessor(d, fn.name) or (isinstance(d, ast.Name) and d.id == "property") for d in fn.decorator_list):
            replay_context["unreplayable"] = (f"`{self.entry_name}` is a property's accessor, which runs when the "
                                              "attribute is used, not when it is called: a counterexample cannot "
                                              "be replayed")
        elif self.entry_name not in self.module.methods and fn.name in self.module.rebound:
            # `from _bisect import *` replaces bisect_right: a proof is about this def, but a replay, which
            # calls the module's attribute, would run something else
            self.assumptions = (*self.assumptions, f"the def of {fn.name} at line {fn.lineno} as written (the "
                                "module binds the name to something else too)")
            replay_context["unreplayable"] = (f"the module binds `{fn.name}` to something else too, so calling "
                                              "it may not run this def: a counterexample cannot be replayed")
        return Function(self.entry_name or fn.name, "python", self.module.path, fn.lineno, inputs, self.b.cfg,
                        returns_value(fn), replay_context=replay_context, procedures=self.procedures,
                        assumptions=self.assumptions)

    def declare_parameters(self, fn: ast.FunctionDef) -> list[Input]:
        """The positional parameters are the inputs (the replay passes them in order), an `int | None`
        one with a second input, its None flag (kind NONE_FLAG: the replay passes None where it is
        true); keyword-only ones, `*args` and `**kwargs` are any value of their kind at entry (the replay
        leaves them at their defaults, which are such values)."""
        args = fn.args
        kinds = parameter_kinds(fn, self.param_types, self.receiver, self.constant_value)
        inputs = []
        for a in [*args.posonlyargs, *args.args]:
            if kinds[a.arg].kind == LIST:
                inputs.append(Input(self.list_parameter(a.arg, fn).elems, a.arg, LIST))
                continue
            if kinds[a.arg].kind == STR:
                inputs.append(Input(self.str_parameter(a.arg, fn), a.arg, STR))
                continue
            var = self.parameter(a.arg, kinds[a.arg].kind, fn)
            inputs.append(Input(var, a.arg, kinds[a.arg].kind))
            if kinds[a.arg].kind == OPTIONAL:
                inputs.append(Input(self.none_flag(var), f"{a.arg} is None", "bool", kind=NONE_FLAG))
        for a, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is None:
                raise self.unsupported(f"the keyword-only parameter '{a.arg}' without a default (a witness could "
                                       "not be replayed)", a)
            var = self.parameter(a.arg, "object" if kinds[a.arg].kind == STR else kinds[a.arg].kind, fn)
            self.b.havoc(var, f"keyword-only parameter '{a.arg}'", fn.lineno)
            if kinds[a.arg].kind == OPTIONAL:
                self.b.havoc(self.none_flag(var), f"whether parameter '{a.arg}' is None", fn.lineno)
        extras = [(a.arg, star) for a, star in ((args.vararg, "*"), (args.kwarg, "**")) if a is not None]
        for name, star in extras:
            self.b.havoc(self.parameter(name, "object", fn), f"parameter {star}{name}", fn.lineno)
        self.assumptions = (*(f"{name}: {UNKNOWN}" if k.kind == "object" else f"{name}: {k.kind}"
                              for name, k in kinds.items() if k.kind == "object" or k.source == "assumed"),
                            *(f"{star}{name}: {UNKNOWN}" for name, star in extras))
        return inputs

    def list_parameter(self, name: str, fn: ast.FunctionDef) -> ListRef:
        """A list of ints passed in: one array input, whose cell -1 holds the length at entry and cells 0
        to length - 1 the elements (so that a witness is one value per parameter; the replay builds the
        list from it). The length is copied into the list's own length variable at once."""
        self.declared[name] = LIST
        ref = self.frame.lists[name] = ListRef(Var(name, ELEMENTS), Var(name + "$len", INT))
        self.frame.assigned.add(name)
        self.b.assign(ref.length, App("select", (ref.elems, const(-1, INT)), INT), fn.lineno)
        self.b.assume(compare("ge", ref.length, const(0, INT)), fn.lineno)
        return ref

    def str_parameter(self, name: str, fn: ast.FunctionDef) -> Var:
        """A str passed in: like a list of ints (list_parameter), one array input whose cell -1 holds its
        length and cells 0 to length - 1 its code points (each read of one is assumed a code point:
        strings.py). The parameter's variable is its length, and the array its `$chars` (state.py)."""
        if (name in self.list_names_in(fn) or name in self.listed_names) and name not in self.plain_names:
            self.found_plain.add(name)  # `s = s[1:]` is written as a list made; the name holds strs
        self.declared[name] = STR
        var = self.local(name)
        self.frame.assigned.add(name)
        self.string_names.add(var.name)
        self.wide_names.add(var.name)
        chars = chars_of(var)
        self.b.assign(var, App("select", (chars, const(-1, INT)), INT), fn.lineno)
        self.b.assume(compare("ge", var, const(0, INT)), fn.lineno)
        return chars

    def parameter(self, name: str, kind: str, fn: ast.FunctionDef) -> Var:
        if kind == LIST:
            raise self.unsupported(f"the keyword-only list parameter '{name}' (a witness could not be replayed)", fn)
        if (name in self.list_names_in(fn) or name in self.listed_names) and name not in self.plain_names:
            self.found_plain.add(name)  # lowered again with the name as a plain variable
            raise self.unsupported(f"the parameter '{name}', of kind {kind}, bound to a list (a name is modelled "
                                   "as one list throughout)", fn)
        self.declared[name] = kind
        var = self.local(name)
        self.frame.assigned.add(name)
        if kind == "object":
            self.opaque_names.add(var.name)
        if kind == OPTIONAL:  # its None flag is an input, or havocked for a keyword-only one
            self.optional_names.add(var.name)
        elif var.name in self.optional_names:  # an int parameter the body may set to None
            self.b.assign(self.none_flag(var), FALSE, fn.lineno)
        if kind == "bool":
            self.b.assume(conj(compare("ge", var, const(0, INT)), compare("le", var, const(1, INT))), fn.lineno)
        return var

    def operations_assumed(self) -> list[str]:
        """The assumption that the operations on values of unknown type and the calls not modelled return
        (or raise) and change nothing the model keeps: what makes the model cover every real run."""
        parts = []
        if self.opaque_ops:
            parts.append(f"the operations on {UNKNOWN.replace('a value', 'values')}")
        if self.opaque_calls:
            shown = self.opaque_calls[:MAX_NAMED_CALLS]
            more = len(self.opaque_calls) - len(shown)
            parts.append("the calls to " + ", ".join(shown) + (f" and {more} more" if more else ""))
        if not parts:
            return []
        unchanged = "this function's variables or the module's constants" if self.reads_constants else \
            "this function's variables"
        return [f"{' and '.join(parts)} return without changing {unchanged}"]


# ------------------------------------------------------------------------------------------- AST queries


def _accessor(decorator: ast.expr, name: str) -> bool:
    """Whether decorator is `@NAME.setter`, `.getter` or `.deleter` of the property NAME the method
    redefines (so the name stays bound to a property)."""
    return isinstance(decorator, ast.Attribute) and decorator.attr in ("setter", "getter", "deleter") and \
        isinstance(decorator.value, ast.Name) and decorator.value.id == name
