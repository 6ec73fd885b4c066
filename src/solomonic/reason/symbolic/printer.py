"""Z3 formulas (certificates) in conventional infix, for people to read."""

from __future__ import annotations

import z3

from solomonic.reason.symbolic.encode import bitwise_operation

_Z3_INFIX = {
    z3.Z3_OP_LE: "<=", z3.Z3_OP_GE: ">=", z3.Z3_OP_LT: "<", z3.Z3_OP_GT: ">", z3.Z3_OP_EQ: "==",
    z3.Z3_OP_IDIV: "div", z3.Z3_OP_MOD: "mod",
}


def show_z3(f: z3.ExprRef) -> str:
    """A certificate formula in conventional infix: `x + y <= 10 && (z == 0 || z > y)`."""
    return _z3(f, top=True)


def _z3(f: z3.ExprRef, top: bool = False) -> str:
    if z3.is_true(f):
        return "true"
    if z3.is_false(f):
        return "false"
    if z3.is_int_value(f) or z3.is_bv_value(f):
        return str(f.as_signed_long() if z3.is_bv_value(f) else f.as_long())
    if z3.is_const(f):
        return str(f)
    if z3.is_quantifier(f):  # an array fact (engines/array_facts.py): `forall k: 0 <= k < i -> b[k] == a[k]`
        bound = [z3.Const(f.var_name(i), f.var_sort(i)) for i in range(f.num_vars())]
        body = z3.substitute_vars(f.body(), *reversed(bound))
        if z3.is_app(body) and body.decl().kind() == z3.Z3_OP_IMPLIES:
            body_text = f"{_z3(body.arg(0), top=True)} -> {_z3(body.arg(1), top=True)}"
        else:
            body_text = _z3(body, top=True)
        text = f"{'forall' if f.is_forall() else 'exists'} {', '.join(map(str, bound))}: {body_text}"
        return text if top else f"({text})"
    bitwise = bitwise_operation(f)
    if bitwise is not None:  # the int encoding's exact form of `a & b`, as C writes it
        op, a, b, _, _ = bitwise
        return f"({_z3(a)} {_BITWISE[op]} {_z3(b)})"
    k = f.decl().kind()
    kids = f.children()
    if k == z3.Z3_OP_AND:
        s = " && ".join(_z3(c) for c in kids)
        return s if top else f"({s})"
    if k == z3.Z3_OP_OR:
        s = " || ".join(_z3(c) for c in kids)
        return s if top else f"({s})"
    if k == z3.Z3_OP_IMPLIES:  # a fact on one side of a case split (houdini.split): !a || b
        a = kids[0]
        return _z3(z3.Or(a.arg(0) if z3.is_not(a) else z3.Not(a), kids[1]), top)
    if k == z3.Z3_OP_NOT:
        c = kids[0]
        if z3.is_app(c) and c.decl().kind() in _NEGATED and c.num_args() == 2:
            return f"{_z3(c.arg(0))} {_NEGATED[c.decl().kind()]} {_z3(c.arg(1))}"
        inner = _z3(c)
        return f"!({inner})" if " " in inner and not inner.startswith("(") else f"!{inner}"
    if k in _Z3_INFIX and len(kids) == 2:
        return f"{_z3(kids[0])} {_Z3_INFIX[k]} {_z3(kids[1])}"
    if k == z3.Z3_OP_ADD:
        out = _z3(kids[0])
        for c in kids[1:]:
            term = _z3(c)
            out += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
        return out if top else f"({out})"
    if k == z3.Z3_OP_MUL:
        if len(kids) == 2 and z3.is_int_value(kids[0]) and kids[0].as_long() == -1:
            return f"-{_z3(kids[1])}"
        return "*".join(_z3(c) for c in kids)
    if k == z3.Z3_OP_UMINUS:
        return f"-{_z3(kids[0])}"
    if k == z3.Z3_OP_SUB:
        return "(" + " - ".join(_z3(c) for c in kids) + ")"
    if k == z3.Z3_OP_ITE:
        return f"({_z3(kids[0])} ? {_z3(kids[1])} : {_z3(kids[2])})"
    if k == z3.Z3_OP_SELECT:
        return f"{_z3(kids[0])}[{_z3(kids[1])}]"
    return str(f).replace("\n", " ")


_BITWISE = {"and": "&", "or": "|", "xor": "^", "shr": ">>"}
_NEGATED = {z3.Z3_OP_LE: ">", z3.Z3_OP_GE: "<", z3.Z3_OP_LT: ">=", z3.Z3_OP_GT: "<=", z3.Z3_OP_EQ: "!="}
