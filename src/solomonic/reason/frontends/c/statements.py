"""Lowering C statements to the control-flow graph: blocks and local declarations, `if`, the loops,
`switch`, `break`, `continue`, `goto` and labels, and `return`."""

from __future__ import annotations

from pycparser import c_ast

from solomonic.reason.frontends.c.parse import StatementExpression
from solomonic.reason.frontends.c.preprocess import walk
from solomonic.reason.frontends.c.state import LoweringState
from solomonic.reason.frontends.c.symbols import PtrSym, Scalar, StructPtrSym, StructSym
from solomonic.reason.frontends.cfg import Loop
from solomonic.reason.ir import BOOL, TRUE, Unsupported, Var, compare, const


class StatementLowering(LoweringState):
    """Statements, one mixin of the C lowering (`lower._Lowering`); it calls the others."""

    def statement(self, s: c_ast.Node) -> None:
        entries = (c_ast.Label, c_ast.Case, c_ast.Default)
        if self.b.current is None and isinstance(s, (c_ast.Decl, c_ast.DeclList)):
            # Jumped over (`goto`, or the top of a `switch` body), but a label further on may enter the
            # name's scope: the name must still hide any outer one, with an indeterminate value.
            for d in s.decls if isinstance(s, c_ast.DeclList) else [s]:
                self.local_declaration(d, skipped=True)
            return
        if self.b.current is None and not isinstance(s, c_ast.Compound) and not any(
                isinstance(n, entries) for n in walk(s)):
            return  # dead code without a way in
        line = self.line(s)
        if isinstance(s, c_ast.Compound) and not isinstance(s, StatementExpression):
            self.block(s)
        elif isinstance(s, c_ast.Decl):
            self.local_declaration(s)
        elif isinstance(s, c_ast.DeclList):
            for d in s.decls:
                self.local_declaration(d)
        elif isinstance(s, (c_ast.Typedef, c_ast.Pragma, c_ast.EmptyStatement)):
            if isinstance(s, c_ast.Typedef):
                self.local_typedef(s)
        elif isinstance(s, c_ast.If):
            self.full(s.cond)
            cond = self.truth(s.cond)
            yes, no = self.b.branch(cond, line)
            join = self.b.location(line)
            for loc, body in ((yes, s.iftrue), (no, s.iffalse)):
                if loc is None and not _has_label(body):
                    continue
                self.b.place(loc)
                if body is not None:
                    self.statement(body)
                self.b.jump(join, line)
            self.b.place_if_reached(join)
        elif isinstance(s, c_ast.While):
            self.loop(s, s.cond, s.stmt, None, test_first=True)
        elif isinstance(s, c_ast.DoWhile):
            self.loop(s, s.cond, s.stmt, None, test_first=False)
        elif isinstance(s, c_ast.For):
            self.frame.scopes.append({})
            if s.init is not None:
                if isinstance(s.init, c_ast.DeclList):
                    for d in s.init.decls:
                        self.local_declaration(d)
                else:
                    self.full(s.init)
                    self.effect(s.init)
            self.loop(s, s.cond, s.stmt, s.next, test_first=True)
            self.frame.scopes.pop()
        elif isinstance(s, c_ast.Break):
            if not self.frame.loops:
                raise self.unsupported("break outside a loop or switch", s)
            self.b.jump(self.frame.loops[-1].break_to, line)
        elif isinstance(s, c_ast.Continue):
            loops = [lp for lp in self.frame.loops if lp.continue_to >= 0]
            if not loops:
                raise self.unsupported("continue outside a loop", s)
            self.b.jump(loops[-1].continue_to, line)
        elif isinstance(s, c_ast.Return):
            self.full(s.expr)
            if self.frame.struct_result is not None and s.expr is not None:
                self.return_struct(s)
                return
            if self.frame.pointer_result is not None and s.expr is not None:
                self.bind(self.frame.pointer_result, self.pointer(s.expr, self.frame.pointer_result.pointee), s)
                self.finish(None, s)
                return
            value = self.expression(s.expr) if s.expr is not None else None
            self.finish(value, s)
        elif isinstance(s, c_ast.Label):
            loc = self.label(s.name, line)
            self.b.jump(loc, line)
            self.b.place(loc)
            self.statement(s.stmt)
        elif isinstance(s, c_ast.Goto):
            self.b.jump(self.label(s.name, line), line)
        elif isinstance(s, c_ast.Switch):
            self.switch(s)
        elif isinstance(s, (c_ast.Case, c_ast.Default)):
            if not self.frame.switch_cases:
                raise self.unsupported("case label outside a switch", s)
            loc = self.frame.switch_cases[-1][id(s)]
            self.b.jump(loc, line)
            self.b.place(loc)
            for item in s.stmts or []:
                self.statement(item)
        else:
            self.full(s)
            self.effect(s)  # an expression statement

    def block(self, s: c_ast.Compound) -> None:
        """A block's statements in a scope of their own."""
        self.frame.scopes.append({})
        typedefs = dict(self.p.typedefs)  # a block's typedefs end with it (C11 6.2.1p4)
        for item in s.block_items or []:
            self.statement(item)
        self.p.typedefs.clear()
        self.p.typedefs.update(typedefs)
        self.frame.scopes.pop()

    def local_typedef(self, s: c_ast.Typedef) -> None:
        """A typedef in a block. A variably modified one (`typedef int A[n];`) fixes its size when the
        typedef is reached, not where the name is used: refused."""
        for node in walk(s.type):
            if isinstance(node, c_ast.ArrayDecl) and node.dim is not None:
                try:
                    self.constant(node.dim)
                except Unsupported:
                    raise self.unsupported(f"typedef '{s.name}' of a variable-length array type", s) from None
        self.p.typedefs[s.name] = s.type

    def label(self, name: str, line: int) -> int:
        labels = self.frame.labels
        if name not in labels:
            labels[name] = self.b.location(line)
        return labels[name]

    def loop(self, s, cond_node, body, step, test_first: bool) -> None:
        """while, for (test first) and do-while: `continue` goes to the step, then the test."""
        line = self.line(s)
        self.full(cond_node)
        self.full(step)
        test, after, step_loc, body_start = (self.b.location(line) for _ in range(4))
        self.b.jump(test if test_first else body_start, line)
        self.b.place(step_loc)
        self.frame.repeating += 1  # the step and the condition run at every pass, as the body does
        if step is not None:
            self.effect(step)
        self.b.jump(test, line)
        self.b.place(test)
        cond = self.truth(cond_node) if cond_node is not None else TRUE
        self.frame.repeating -= 1
        yes, no = self.b.branch(cond, line)
        if yes is not None:
            self.b.place(yes)
            self.b.jump(body_start, line)
        if no is not None:
            self.b.place(no)
            self.b.jump(after, line)
        self.b.place(body_start)
        self.frame.loops.append(Loop(after, step_loc))
        self.statement(body)
        self.frame.loops.pop()
        self.b.jump(step_loc, line)
        self.b.place_if_reached(after)

    def switch(self, s: c_ast.Switch) -> None:
        line = self.line(s)
        self.full(s.cond)
        subject = self.promoted(self.expression(s.cond))
        after = self.b.location(line)
        cases: dict[int, int] = {}
        order: list[tuple[c_ast.Node, int]] = []
        for node in _switch_labels(s.stmt):
            cases[id(node)] = self.b.location(self.line(node))
            order.append((node, cases[id(node)]))
        default = next((loc for node, loc in order if isinstance(node, c_ast.Default)), after)
        for node, loc in order:
            if isinstance(node, c_ast.Case):
                value = const(self.constant(node.expr), subject.type.bv)
                yes, no = self.b.branch(compare("eq", subject.expr, value), self.line(node))
                if yes is not None:
                    self.b.place(yes)
                    self.b.jump(loc, line)
                self.b.place(no)
        self.b.jump(default, line)
        self.frame.loops.append(Loop(after, -1))
        self.frame.switch_cases.append(cases)
        self.statement(s.stmt)
        self.frame.switch_cases.pop()
        self.frame.loops.pop()
        self.b.jump(after, line)
        self.b.place_if_reached(after)

    def local_declaration(self, d: c_ast.Decl, skipped: bool = False) -> None:
        """Declare (and, unless `skipped` by a jump, initialise) a local. A skipped variable is left
        unassigned, which the IR reads as any value of its type: C's indeterminate value."""
        if isinstance(d.type, c_ast.FuncDecl) or d.name is None:
            return  # a local prototype, or a struct/enum tag declaration
        if "static" in (d.storage or []):
            raise self.unsupported(f"static local variable '{d.name}'", d)
        if "extern" in (d.storage or []):
            raise self.unsupported(f"local extern declaration '{d.name}'", d)
        frame = self.frame
        taken = {v.base if isinstance(v, (PtrSym, StructSym)) else v.var.name for sc in frame.scopes for v in sc.values()
                 if not isinstance(v, StructPtrSym)}  # which names no IR variable
        base = frame.prefix + d.name
        name, k = base, 1
        while name in taken or name in self.p.globals:
            k += 1
            name = f"{base}#{k}"
        outermost = len(frame.scopes) == 2
        if skipped and not isinstance(self.resolve(d.type), Scalar):
            raise self.unsupported(f"a jump past the declaration of '{d.name}' into its scope", d)
        sym = self.declare(d, Var(name, BOOL), outermost=outermost)
        frame.scopes[-1][d.name] = sym
        if not skipped:
            self.initialise(sym, d, static=False)


def _has_label(node: c_ast.Node | None) -> bool:
    return node is not None and any(isinstance(n, c_ast.Label) for n in walk(node))


def _switch_labels(body: c_ast.Node) -> list[c_ast.Node]:
    """The case and default labels of a switch body, in source order, not entering nested switches."""
    out: list[c_ast.Node] = []

    def visit(n: c_ast.Node) -> None:
        if isinstance(n, (c_ast.Case, c_ast.Default)):
            out.append(n)
        for _, child in n.children():
            if not isinstance(child, c_ast.Switch):
                visit(child)

    visit(body)
    return out

