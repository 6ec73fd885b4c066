"""Generator expressions where a builtin consumes them at once, each lowered to what CPython runs:
`any(e for x in it if c)` and `all(...)` are a loop over `it` that stops at the first element whose
truth decides (so the elements after it are never computed, and cannot raise); `sum`, `min` and `max`
of one take its elements in order, as they would take the list comprehension's, whose elements are
computed in the same order with the same exceptions, and whose sum or comparison of ints cannot raise
between them: the list comprehension it is.

`any(xs)` and `all(xs)` of a list of ints are the same loop over its items.

Refused, naming the construct: a generator expression with more than one `for` given to `any` or
`all` (stopping early would leave every loop at once), one with a nested scope or `:=` inside, and a
generator expression anywhere else (its laziness is not modelled: a value of unknown type as before).
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.listloops import SCOPED, ListLoopLowering, renamed
from solomonic.reason.frontends.python.state import ListRef, PyValue, _code
from solomonic.reason.ir import INT, App, Var, compare, const, ite, negate

SHORT_CIRCUIT = {"any": True, "all": False}  # the builtin -> the element truth that decides its result
CONSUMERS = ("sum", "min", "max")  # builtins that take every element of their argument, in order


class GeneratorLowering(ListLoopLowering):
    """Generator expressions given to `any`, `all`, `sum`, `min` and `max`; `any` and `all` of lists."""

    def builtin(self, name: str, node: ast.Call) -> PyValue:
        single = len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred)
        if not single or name not in (*SHORT_CIRCUIT, *CONSUMERS) or self.in_procedure():
            return super().builtin(name, node)
        arg = node.args[0]
        if isinstance(arg, ast.GeneratorExp) and name in CONSUMERS:
            listed = ast.copy_location(ast.ListComp(arg.elt, arg.generators), arg)
            return super().builtin(name, ast.copy_location(ast.Call(node.func, [listed], []), node))
        if isinstance(arg, ast.GeneratorExp):
            return self.short_circuit(name, arg, node)
        if name in SHORT_CIRCUIT and self.may_be_list(arg):
            ref = self.value_or_list(arg).list
            if ref is not None:
                return self.short_circuit_list(name, ref, node)
            self.note_call(node.func)  # a display of values of unknown type: a call not modelled, as before
            return self.unknown(node, f"the call `{_code(node)}`", call=True)
        return super().builtin(name, node)

    def short_circuit(self, name: str, gen: ast.GeneratorExp, node: ast.Call) -> PyValue:
        """`any(e for x in it if c)`: a flag, and `for x in it: if c: if e: flag = True; break` (for
        `all`, `if not e: flag = False; break`), with the generator's own names renamed apart as a list
        comprehension's are (listloops.py); the first iterable is evaluated where the call is."""
        if len(gen.generators) != 1:
            raise self.unsupported(f"`{name}` of a generator expression with more than one `for` "
                                   f"(`{_code(gen)}`)", gen)
        [loop] = gen.generators
        if loop.is_async:
            raise self.unsupported("an asynchronous generator expression", gen)
        if any(isinstance(n, SCOPED) for p in (gen.elt, *loop.ifs) for n in ast.walk(p)):
            raise self.unsupported(f"`{_code(gen)}`: a generator expression with a nested scope or `:=` inside",
                                   gen)
        decides = SHORT_CIRCUIT[name]
        flag = self.b.temp(name, INT)
        self.b.assign(flag, const(int(not decides), INT), node.lineno)
        self.frame.variables[flag.name] = flag  # the loop below assigns it by name
        self.frame.assigned.add(flag.name)
        names = {n.id: f"{flag.name}${n.id}" for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        element = renamed(gen.elt, names)
        test = element if decides else ast.UnaryOp(ast.Not(), element)
        body: list[ast.stmt] = [ast.If(test, [ast.Assign([ast.Name(flag.name, ast.Store())], ast.Constant(decides)),
                                              ast.Break()], [])]
        for cond in reversed(loop.ifs):
            body = [ast.If(renamed(cond, names), body, [])]
        statement = ast.For(renamed(loop.target, names), loop.iter, body, [])
        ast.fix_missing_locations(ast.copy_location(statement, gen))
        for n in ast.walk(statement):
            n.lineno = gen.lineno  # type: ignore[attr-defined]
        self.statement(statement)
        return PyValue(compare("ne", flag, const(0, INT)))

    def short_circuit_list(self, name: str, ref: ListRef, node: ast.Call) -> PyValue:
        """`any(xs)`, `all(xs)` of a list of ints: its items in order, up to the first that decides."""
        decides = SHORT_CIRCUIT[name]
        flag = self.b.temp(name, INT)
        line = node.lineno
        self.b.assign(flag, const(int(not decides), INT), line)
        decided = compare("ne", flag, const(int(not decides), INT))

        def visit(k: Var) -> None:
            item = compare("ne", App("select", (ref.elems, k), INT), const(0, INT))
            found = item if decides else negate(item)
            self.b.assign(flag, ite(found, const(int(decides), INT), flag), line)

        self.walk(const(0, INT), ref.length, line, visit, until=decided)
        return PyValue(compare("ne", flag, const(0, INT)))
