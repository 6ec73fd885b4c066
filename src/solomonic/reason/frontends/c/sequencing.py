"""The order-of-evaluation check: a full expression is lowered in one order, so the lowering refuses one
whose outcome depends on an order C leaves open. Separate because it reads only the AST (what each
subexpression reads and writes), not the lowering's state."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from pycparser import c_ast

from solomonic.reason.frontends.c.preprocess import walk


@dataclass
class Effects:
    """What evaluating an expression reads and writes, by variable name. MEMORY stands for objects
    reached through a pointer (or an array that may be one); CALL for what a call to a function that
    writes globals or memory may touch."""

    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)

    def __or__(self, other: Effects) -> Effects:
        return Effects(self.reads | other.reads, self.writes | other.writes)


MEMORY, CALL = "*memory", "*call"


def addressed(ast: c_ast.Node) -> set[str]:
    """The names whose address the program takes (`&x`, anywhere): the only variables a pointer can
    reach. Every other variable, a pointer variable itself included (pointers to pointers are refused),
    is an object no write through a pointer touches."""
    return {n.expr.name for n in walk(ast) if isinstance(n, c_ast.UnaryOp) and n.op == "&"
            and isinstance(n.expr, c_ast.ID)}


def struct_root(e: c_ast.Node) -> str | None:
    """The variable `s` of a member access `s.x` (`s.in.x`): an access to it, for this check."""
    if not (isinstance(e, c_ast.StructRef) and e.type == "."):
        return None
    while isinstance(e, c_ast.StructRef) and e.type == ".":
        e = e.name
    return e.name if isinstance(e, c_ast.ID) else None


def unsequenced(node: c_ast.Node, globals_: AbstractSet[str], impure: set[str],
                reachable: AbstractSet[str], readers: AbstractSet[str] = frozenset()) -> c_ast.Node | None:
    """The first subexpression of a full expression whose side effect is unsequenced (C11 6.5p2:
    undefined) or indeterminately sequenced (a call: unspecified order) against another access to the
    same object: `i = i++`, `a[i] = i++`, `f(i++, i)`, `g + h()` where h writes g. None when every
    order gives the same result: `*dst++ = *src++`, whose store reaches neither pointer variable.
    `impure`: the defined functions that may write a global or through a pointer; `readers`: those
    that may read one; `reachable`: the variables a pointer may point to (`addressed`). Conservative: an access through a pointer clashes
    with every other access through one and with every access to a reachable variable."""
    found: list[c_ast.Node] = []
    through = {MEMORY} | set(reachable)  # what an access through a pointer may touch

    def overlap(writes: set[str], other: set[str]) -> bool:
        if not writes or not other:
            return False
        return bool(writes & other) or (MEMORY in writes and bool(other & through)) or \
            (MEMORY in other and bool(writes & through))

    def hits(writes: set[str], other: Effects) -> bool:
        touched = other.reads | other.writes
        # a call that writes may write a global, or through a pointer any variable whose address is taken
        if CALL in writes and touched & (globals_ | through | {CALL}):
            return True
        if CALL in touched and writes & (globals_ | through | {CALL}):
            return True
        plain = writes - {CALL}
        return overlap(plain, touched - {CALL}) or (MEMORY in other.reads and bool(plain & through))

    def clash(a: Effects, b: Effects) -> bool:
        return hits(a.writes, b) or hits(b.writes, a)

    def note(at: c_ast.Node) -> None:
        if not found:
            found.append(at)

    def siblings(parts: list[c_ast.Node], at: c_ast.Node) -> Effects:
        effects = [visit(p) for p in parts]
        total = Effects()
        for i, e in enumerate(effects):
            if any(clash(e, f) for f in effects[i + 1:]):
                note(at)
            total = total | e
        return total

    def target(lvalue: c_ast.Node) -> tuple[set[str], Effects]:
        """The objects an lvalue designates, and what computing which object it is reads."""
        if isinstance(lvalue, c_ast.ID):
            return {lvalue.name}, Effects()
        if isinstance(lvalue, c_ast.ArrayRef):
            address = Effects()
            while isinstance(lvalue, c_ast.ArrayRef):
                address = address | visit(lvalue.subscript)
                lvalue = lvalue.name
            if isinstance(lvalue, c_ast.ID):
                return {lvalue.name, MEMORY}, address | Effects({lvalue.name})
            if (root := struct_root(lvalue)) is not None:  # an array member of a struct variable
                return {root, MEMORY}, address | Effects({root})
            return {MEMORY}, address | visit(lvalue)
        if isinstance(lvalue, c_ast.UnaryOp) and lvalue.op == "*":
            return {MEMORY}, visit(lvalue.expr)
        if (root := struct_root(lvalue)) is not None:  # a member of a struct variable: the variable
            return {root}, Effects()
        return {MEMORY}, visit(lvalue)

    def visit(n: c_ast.Node | None) -> Effects:
        if n is None or isinstance(n, (c_ast.Constant, c_ast.Typename)):
            return Effects()
        if isinstance(n, c_ast.ID):
            return Effects({n.name})
        if (root := struct_root(n)) is not None:
            return Effects({root})
        if isinstance(n, c_ast.StructRef):  # p->x: through a pointer
            return visit(n.name) | Effects({MEMORY})
        if isinstance(n, c_ast.InitList):  # its expressions are indeterminately sequenced (C11 6.7.9p23)
            return siblings(list(n.exprs), n)
        if isinstance(n, c_ast.NamedInitializer):
            return visit(n.expr)
        if isinstance(n, c_ast.Assignment):
            names, address = target(n.lvalue)
            value = visit(n.rvalue)
            # the store is sequenced after both operands' value computations (a call's body included),
            # not after their side effects; the operands are unsequenced against each other
            if overlap(names, value.writes - {CALL}) or clash(address, value):
                note(n)
            # `g += f()`: the read of the left operand is a value computation of its own, which a
            # call's body is indeterminately sequenced with (C11 6.5.16p3, 6.5.2.2p10): it reads g
            # before or after f writes it. A global here; memory a call reaches through pointers
            # (`x += f(&x)`) is judged where the objects are known (expressions.assignment)
            if n.op != "=" and CALL in value.writes and names & set(globals_):
                note(n)
            reads = names - {MEMORY} if n.op != "=" else set()
            return address | value | Effects(reads, names)
        if isinstance(n, c_ast.UnaryOp):
            if n.op in ("++", "--", "p++", "p--"):
                names, address = target(n.expr)
                return address | Effects(names - {MEMORY}, names)
            if n.op in ("sizeof", "_Alignof"):
                return Effects()  # the operand is not evaluated
            if n.op in ("&", "*"):
                return visit(n.expr) | Effects({MEMORY})
            return visit(n.expr)
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):  # a sequence point between the operands
                return visit(n.left) | visit(n.right)
            return siblings([n.left, n.right], n)
        if isinstance(n, c_ast.TernaryOp):  # a sequence point after the condition; one branch runs
            return visit(n.cond) | visit(n.iftrue) | visit(n.iffalse)
        if isinstance(n, c_ast.ExprList):  # the comma operator: in order
            total = Effects()
            for x in n.exprs:
                total = total | visit(x)
            return total
        if isinstance(n, c_ast.FuncCall):
            args = siblings(list(n.args.exprs) if n.args is not None else [], n)
            name = n.name.name if isinstance(n.name, c_ast.ID) else None
            if name is None or name in impure:
                return args | Effects({CALL}, {CALL})
            if name in readers:  # clashes with a call that writes, or a write of a global beside it
                return args | Effects({CALL})
            return args
        if isinstance(n, c_ast.ArrayRef):
            return siblings([n.name, n.subscript], n) | Effects({MEMORY})
        total = Effects()
        for _, child in n.children():
            total = total | visit(child)
        return total

    visit(node)
    return found[0] if found else None
