"""The intermediate representation shared by both frontends and every engine.

A program is lowered to one `Function` per analysed entry point: typed variables, and a control-flow
graph whose edges carry one small statement each (assume, assign, havoc). Calls are inlined by the
frontends. Failure points are sink locations tagged with an `Event` (assertion failure, exception,
signed overflow, other undefined behaviour, a false return value), so that a property is nothing more
than a choice of which events are errors.

Expressions are immutable and typed. Machine integers keep their C type (`BVType`), so the same IR can
be encoded exactly as bit-vectors or as mathematical integers with explicit wrap-around (see
`symbolic/encode.py`), and evaluated concretely (see `ir/evaluate.py`).
"""

from solomonic.reason.ir.build import (
    app,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    free_vars,
    ite,
    negate,
    substitute,
)
from solomonic.reason.ir.nodes import (
    ALL_OPS,
    ARITH_OPS,
    BOOL_OPS,
    COMPARE_OPS,
    FALSE,
    NO_SIGNED_WRAP,
    OTHER_OPS,
    OVERFLOW_OPS,
    TRUE,
    App,
    Const,
    Expr,
    Var,
)
from solomonic.reason.ir.program import (
    EVENT_KINDS,
    LENGTH,
    UNUSED,
    Assign,
    Assume,
    BadInput,
    Call,
    Cfg,
    Edge,
    Event,
    Function,
    Havoc,
    Input,
    Procedure,
    Stmt,
    Unsupported,
    cfg_variables,
)
from solomonic.reason.ir.types import BOOL, INT, ArrayType, BoolType, BVType, IntType, Type

__all__ = [
    "ALL_OPS",
    "ARITH_OPS",
    "BOOL",
    "BOOL_OPS",
    "COMPARE_OPS",
    "EVENT_KINDS",
    "FALSE",
    "INT",
    "LENGTH",
    "NO_SIGNED_WRAP",
    "OTHER_OPS",
    "OVERFLOW_OPS",
    "TRUE",
    "UNUSED",
    "App",
    "ArrayType",
    "Assign",
    "Assume",
    "BVType",
    "BadInput",
    "BoolType",
    "Call",
    "Cfg",
    "Const",
    "Edge",
    "Event",
    "Expr",
    "Function",
    "Havoc",
    "Input",
    "IntType",
    "Procedure",
    "Stmt",
    "Type",
    "Unsupported",
    "Var",
    "app",
    "arith",
    "cast",
    "cfg_variables",
    "compare",
    "conj",
    "const",
    "disj",
    "free_vars",
    "ite",
    "negate",
    "substitute",
]
