"""Whole-program facts from the call graph of a C program's defined functions: the recursive ones (lowered
once each as procedures, not inlined) and the impure ones (which may write globals or memory, so that
the order-of-evaluation check cannot reorder calls to them). Computed once, before lowering."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Set as AbstractSet

from pycparser import c_ast

from solomonic.reason.frontends.c.library import BY_ELEMENT, DEFINITIONS, definition
from solomonic.reason.frontends.c.parse import CProgram
from solomonic.reason.frontends.c.preprocess import walk
from solomonic.reason.frontends.calls import on_cycles


def call_graph(program: CProgram) -> dict[str, set[str]]:
    """Each defined function -> the defined functions its body calls by name."""
    return {name: {n.name.name for n in walk(f.body) if isinstance(n, c_ast.FuncCall)
                   and isinstance(n.name, c_ast.ID) and n.name.name in program.functions}
            for name, f in program.functions.items()}


def impure_functions(program: CProgram) -> set[str]:
    """The defined functions that may write a global, or an object through a pointer or an array
    parameter, themselves or through the functions they call (the C library's that write through their
    arguments among them: memset, strcpy, free, ...): calls to them are not reorderable."""
    defined, globals_ = set(program.functions), set(program.globals)
    writers = library_writers()
    return _closed({name for name, f in program.functions.items() if _writes(f, defined, globals_, writers)},
                   call_graph(program))


def _writes(f: c_ast.FuncDef, defined: AbstractSet[str], globals_: set[str], writers: AbstractSet[str]) -> bool:
    """Whether f's own statements may write a global or an object through a pointer. `p[i] = v` writes
    through p unless p is an array f declares in its body (a parameter declared as an array is a
    pointer; so may a name of a typedef'd type be) or a pointer f only ever sets to memory it allocates
    itself (`char *s = malloc(n); s[n - 1] = 0;`: memory no caller sees before the call returns). Names
    are not resolved by scope, so only a name f declares once (its parameters included) is taken for
    such an array or pointer: `{ int a[1]; } a[0] = 1;` writes through the parameter `a`."""
    declared = Counter(n.name for n in walk(f) if isinstance(n, c_ast.Decl) and n.name and n is not f.decl)
    local = set(declared)
    arrays = {n.name for n in walk(f.body) if isinstance(n, c_ast.Decl) and isinstance(n.type, c_ast.ArrayDecl)
              and declared[n.name] == 1}
    own = arrays | {name for name in _allocated_here(f.body) if declared[name] == 1}
    for n in walk(f.body):
        if _library_call(n, defined) in writers:
            return True
        lvalue = n.lvalue if isinstance(n, c_ast.Assignment) else \
            n.expr if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
        if lvalue is None:
            continue
        indexed = isinstance(lvalue, c_ast.ArrayRef)
        while isinstance(lvalue, c_ast.ArrayRef):
            lvalue = lvalue.name
        if isinstance(lvalue, c_ast.UnaryOp) and lvalue.op == "*" and isinstance(lvalue.expr, c_ast.ID) and \
                lvalue.expr.name in own - arrays:
            continue  # `*s = v` into the function's own allocation
        if not isinstance(lvalue, c_ast.ID) or lvalue.name not in local or lvalue.name in globals_ or \
                (indexed and lvalue.name not in own):
            return True
    return False


def _allocated_here(body: c_ast.Node) -> set[str]:
    """The local pointers whose every value is a fresh allocation of the function's own: declared with
    `malloc`, `calloc` or `alloca` (perhaps cast) and never assigned, stepped or given away otherwise
    (an `&p` could let a callee set it); the caller keeps only names declared once."""
    def allocation(e: c_ast.Node | None) -> bool:
        while isinstance(e, c_ast.Cast):
            e = e.expr
        return isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID) and \
            e.name.name in ("malloc", "calloc", "alloca")

    declared = {n.name for n in walk(body) if isinstance(n, c_ast.Decl) and isinstance(n.type, c_ast.PtrDecl)
                and allocation(n.init)}
    for n in walk(body):
        if isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID) and n.lvalue.name in declared:
            declared.discard(n.lvalue.name)  # set to something else (or to another allocation: kept simple)
        elif isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--", "&") and \
                isinstance(n.expr, c_ast.ID) and n.expr.name in declared:
            declared.discard(n.expr.name)
    return declared


def _library_call(n: c_ast.Node, defined: AbstractSet[str]) -> str | None:
    """The name a call node calls where the program does not define it (a C library function), or None."""
    if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name not in defined:
        return n.name.name
    return None


@functools.cache
def library_writers() -> frozenset[str]:
    """The C library functions the lowering models (library.py) whose definition writes through a
    pointer argument, and free (it ends its object's life)."""
    found = {"free"}
    for name in DEFINITIONS:
        element = ("int", 4) if name in BY_ELEMENT else None
        fdef = definition(name, "unsigned long", None, element)
        if _writes(fdef, set(), set(), found):
            found.add(name)
    return frozenset(found)


def reading_functions(program: CProgram) -> set[str]:
    """The defined functions that may read a global or an object through a pointer, themselves or
    through the functions they call: a call to one beside a call that writes is not reorderable
    either (`sub(rd(), g())` where g doubles the global rd returns)."""
    direct: set[str] = set()
    for name, f in program.functions.items():
        for n in walk(f.body):  # a global's name, wherever it appears (a block may shadow it only in part)
            if (isinstance(n, c_ast.ID) and n.name in program.globals) or \
                    (isinstance(n, c_ast.UnaryOp) and n.op == "*") or \
                    (isinstance(n, c_ast.StructRef) and n.type == "->") or isinstance(n, c_ast.ArrayRef) or \
                    _library_call(n, program.functions.keys()) in DEFINITIONS:  # its string functions read memory
                direct.add(name)
                break
    return _closed(direct, call_graph(program))


def _closed(direct: set[str], calls: dict[str, set[str]]) -> set[str]:
    """`direct` and every function that calls one of them, directly or not."""
    found = set(direct)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in found and callees & found:
                found.add(name)
                changed = True
    return found


def recursive_functions(program: CProgram) -> set[str]:
    """The functions on a cycle of the call graph: these are lowered once each and called, not inlined."""
    return on_cycles(call_graph(program))
