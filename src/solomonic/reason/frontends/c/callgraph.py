"""Whole-program facts from the call graph of a C program's defined functions: the recursive ones (lowered
once each as procedures, not inlined) and the impure ones (which may write globals or memory, so that
the order-of-evaluation check cannot reorder calls to them). Computed once, before lowering."""

from __future__ import annotations

from pycparser import c_ast

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
    parameter, themselves or through the functions they call: calls to them are not reorderable."""
    direct: set[str] = set()
    calls = call_graph(program)
    for name, f in program.functions.items():
        local = {n.name for n in walk(f) if isinstance(n, c_ast.Decl) and n.name and n is not f.decl}
        for n in walk(f.body):
            lvalue = n.lvalue if isinstance(n, c_ast.Assignment) else \
                n.expr if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
            if lvalue is None:
                continue
            while isinstance(lvalue, c_ast.ArrayRef):
                lvalue = lvalue.name
            if not isinstance(lvalue, c_ast.ID) or lvalue.name not in local or lvalue.name in program.globals:
                direct.add(name)
    return _closed(direct, calls)


def reading_functions(program: CProgram) -> set[str]:
    """The defined functions that may read a global or an object through a pointer, themselves or
    through the functions they call: a call to one beside a call that writes is not reorderable
    either (`sub(rd(), g())` where g doubles the global rd returns)."""
    direct: set[str] = set()
    for name, f in program.functions.items():
        local = {n.name for n in walk(f) if isinstance(n, c_ast.Decl) and n.name and n is not f.decl}
        for n in walk(f.body):
            if (isinstance(n, c_ast.ID) and n.name in program.globals and n.name not in local) or \
                    (isinstance(n, c_ast.UnaryOp) and n.op == "*") or \
                    (isinstance(n, c_ast.StructRef) and n.type == "->") or isinstance(n, c_ast.ArrayRef):
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
