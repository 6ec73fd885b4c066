"""Lowering C calls: SV-COMP's functions (`__VERIFIER_*`, `reach_error`, `abort`, ...) as assertions,
assumptions, stops and nondeterministic values; calls to defined functions inlined, except calls into
recursion, which stay calls to a procedure lowered once.

A program may define `reach_error` (or even `abort`) itself. Under the `assert` property a call to an
error function is the violation, whatever its body (SV-COMP's reading); under the others the body runs
as written, since a body that returns lets the run go on. The C library's functions that never return
(`abort`, `exit`, `__assert_fail`, ...) keep that promise in gcc's eyes even where the program redefines
them (gcc warns "'noreturn' function does return" and compiles the call as the end), so a program's own
body of one that returns is undefined behaviour, and the answer is unknown where that return is reached."""

from __future__ import annotations

from pycparser import c_ast

from solomonic.reason.frontends.c.library import (
    ATTRIBUTES,
    BY_ELEMENT,
    BYTES,
    CHARACTER,
    DEFINITIONS,
    DISTINCT,
    NONZERO_IF,
    PARTIAL,
    SIGN_OF,
    definition,
)
from solomonic.reason.frontends.c.parse import NONDET_NAMES, NONDET_PREFIX
from solomonic.reason.frontends.c.state import Frame, LoweringState
from solomonic.reason.frontends.c.symbols import (
    ArraySym,
    CType,
    CVal,
    MemObject,
    Other,
    Pointer,
    PtrSym,
    PtrVal,
    Scalar,
    StructPtrSym,
    Symbol,
    VarSym,
    Void,
    points_to_struct,
)
from solomonic.reason.frontends.cfg import Builder
from solomonic.reason.ir import (
    BOOL,
    Call,
    Event,
    Expr,
    PointerParameter,
    Procedure,
    Var,
    compare,
    conj,
    const,
    disj,
    ite,
    negate,
)

ERROR_FUNCTIONS = {"reach_error", "__VERIFIER_error", "__assert_fail", "__assert_perror_fail", "__assert"}
STOP_FUNCTIONS = {"abort", "exit", "_Exit", "_exit"}
LIBRARY_NORETURN = STOP_FUNCTIONS | {"__assert_fail", "__assert_perror_fail", "__assert"}
# C library functions that gcc knows as built-ins (C, POSIX and GNU ones that are not floating point).
# Every C library name is reserved with external linkage (C11 7.1.3), so a program that defines one
# has undefined behaviour, and gcc may compute a call from its own knowledge instead of the program's
# body: with `int abs(int x) { return 42; }`, abs(-5) is 5 even at -O0, a program's own `alloca` is
# replaced by gcc's stack allocation, and a call to its own `malloc` whose result goes unused is
# deleted at -O1, -O2 and -Os (its side effects with it). A `static` definition is the program's own
# function (gcc calls it). The functions that stop the program keep their own treatment (the
# docstring above): gcc only takes them never to return.
LIBRARY_BUILTINS = frozenset({
    "alloca", "malloc", "calloc", "free",
    "abs", "labs", "llabs", "imaxabs", "uabs", "ffs", "ffsl", "ffsll", "div", "ldiv", "lldiv",
    "isalnum", "isalpha", "isascii", "isblank", "iscntrl", "isdigit", "isgraph", "islower", "isprint",
    "ispunct", "isspace", "isupper", "isxdigit", "toascii", "tolower", "toupper",
    "iswalnum", "iswalpha", "iswblank", "iswcntrl", "iswdigit", "iswgraph", "iswlower", "iswprint",
    "iswpunct", "iswspace", "iswupper", "iswxdigit", "towlower", "towupper",
    "memchr", "memcmp", "memcpy", "memmove", "mempcpy", "memset", "bcmp", "bcopy", "bzero", "index",
    "rindex", "stpcpy", "stpncpy", "strcasecmp", "strcat", "strchr", "strcmp", "strcpy", "strcspn",
    "strdup", "strfmon", "strftime", "strlen", "strncasecmp", "strncat", "strncmp", "strncpy", "strndup",
    "strnlen", "strpbrk", "strrchr", "strspn", "strstr",
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsprintf", "vsnprintf", "scanf",
    "fscanf", "sscanf", "vscanf", "vfscanf", "vsscanf", "putchar", "puts", "fputc", "fputs", "fwrite",
    "putc", "printf_unlocked", "fprintf_unlocked", "putchar_unlocked", "puts_unlocked", "fputc_unlocked",
    "fputs_unlocked", "fwrite_unlocked", "putc_unlocked",
    "realloc", "aligned_alloc", "posix_memalign", "strdupa", "strndupa", "execl", "execlp", "execle",
    "execv", "execvp", "execve", "fork", "gettext", "dgettext", "dcgettext",
})


class CallLowering(LoweringState):
    """Calls, one mixin of the C lowering (`lower._Lowering`); it calls the others."""

    def call(self, e: c_ast.FuncCall) -> CVal:
        if not isinstance(e.name, c_ast.ID):
            raise self.unsupported("call through a function pointer", e)
        name = e.name.name
        args = e.args.exprs if e.args is not None else []
        line = self.line(e)
        void = CVal(const(0, self.t.int.bv), self.t.int)
        if name in ERROR_FUNCTIONS and (self.error_calls_fail or name not in self.p.functions):
            if name in ("__assert_fail", "__assert") and args and isinstance(args[0], c_ast.Constant):
                message = f"assertion `{args[0].value.strip(chr(34))}` fails"
            else:
                message = f"{name}() is called"
            self.b.end(self.event("assert", e, message))
            return void
        if name in STOP_FUNCTIONS and name not in self.p.functions:
            for a in args:
                self.expression(a)
            self.b.end(Event("stop", line, f"{name}() stops the program"))
            return void
        one_argument = name in ("__VERIFIER_assume", "__VERIFIER_assert", "assume_abort_if_not") \
            and name not in self.p.functions
        if one_argument and len(args) != 1:  # gcc refuses it against the prototype; without one, it is UB
            raise self.unsupported(f"call to `{name}` with {len(args)} arguments (it takes one)", e)
        if name in ("__VERIFIER_assume", "assume_abort_if_not") and name not in self.p.functions:
            self.b.assume(self.truth(args[0]), line)
            return void
        if name == "__VERIFIER_assert" and name not in self.p.functions:
            ok = self.truth(args[0])
            self.b.fail_unless(ok, self.event("assert", e, f"`{self.text(e)}` fails"))
            return void
        if name.startswith(NONDET_PREFIX) and name not in self.p.functions:  # a body of the program's own runs
            return self.nondet(name, e)
        if name == "free" and name not in self.p.functions:
            self.free(e)
            return void
        if name in self.p.functions:
            self.refuse_library_definition(name, e)
            value = self.inline(name, args, e, self.prototype_in_scope(name))
            if name in LIBRARY_NORETURN and self.b.current is not None and self.b.reached(self.b.current):
                self.b.end(self.event("ub", e, f"the program's own `{name}` returns, where the C library's "
                                               "never does (gcc compiles the call as the end of the run)"))
            return value
        if name == "__builtin_expect" and len(args) == 2:  # long __builtin_expect(long e, long c): e
            long = self.c_int("long")
            value = self.to(self.expression(args[0]), long)
            self.expression(args[1])
            return value
        if name == "offsetof":
            return self.offsetof(e)
        if name in (SIGN_OF, NONZERO_IF, CHARACTER, PARTIAL) and self.call_sites and \
                self.call_sites[-1][0] in DEFINITIONS:
            return self.definition_builtin(name, args, e)
        if name in DEFINITIONS:
            return self.library_call(name, args, e)
        if name.startswith("__builtin_"):
            raise self.unsupported(f"GNU builtin `{name}` (not modelled)", e)
        raise self.unsupported(f"call to external function `{name}` (no body to analyse)", e)

    def prototype_in_scope(self, name: str) -> bool:
        """Whether `name` has a prototype (its definition, or a declaration with a parameter list) before
        the function being lowered, or is that function."""
        caller = self.position[id(self.p.functions[self.frame.function])]
        return self.prototype_at.get(name, caller + 1) <= caller or name == self.frame.function

    def library_call(self, name: str, args: list[c_ast.Node], e: c_ast.FuncCall) -> CVal:
        """A C library function the program declares and does not define, lowered from its definition
        (library.py). The program's prototype converts the arguments and the result, as for gcc's call
        (a program may declare `unsigned strlen(const char *)`); without one in scope the call is
        unsupported, as is a prototype whose parameters are not the definition's kinds (integer or
        pointer, one for one)."""
        proto = self.p.prototypes.get(name)
        if proto is None or not self.prototype_in_scope(name):
            raise self.unsupported(f"call to the C library function `{name}` without a prototype in scope", e)
        for found in self.p.taint.constructs.get(name, []):
            if found.construct not in ATTRIBUTES[name]:
                self.refuse_tainted(found, f"the declaration of `{name}`")
        element = None
        if name in BY_ELEMENT:
            elem = self.pointee_type(args[0]) if args else None
            if elem is None or elem.name == "_Bool" or elem.size > (1 if name in BYTES else 8):
                raise self.unsupported(f"`{name}` over elements of type {elem.name if elem else 'unknown'} "
                                       "(not modelled)", e)
            element = (elem.name, elem.size)
        fdef = definition(name, self.t.size_t.name, e.coord, element)
        params = self.parameters(proto)
        model_params = self.parameters(fdef.decl.type)
        if len(params) != len(model_params) or len(args) != len(params):
            raise self.unsupported(f"`{name}` declared or called with other parameters than the C library's", e)
        converted = []
        for k, (a, p, m) in enumerate(zip(args, params, model_params)):
            declared, modelled = self.resolve(p.type), self.resolve(m.type)
            # glibc's own prototype (string.h) declares the copies' pointers `restrict`: what it forbids,
            # the two overlapping, is what `distinct` refuses
            restrict = isinstance(declared, Other) and declared.what == "restrict-qualified pointer" \
                and k in DISTINCT.get(name, ())
            if (isinstance(declared, Pointer) or restrict) and isinstance(modelled, Pointer):
                converted.append(a)
            elif isinstance(declared, Scalar) and isinstance(modelled, Scalar):
                converted.append(c_ast.Cast(c_ast.Typename(None, [], None, p.type), a, a.coord))
            else:
                raise self.unsupported(f"`{name}` declared with a parameter of another kind than the C library's", e)
        value = self.inline(name, converted, e, fdef=fdef, distinct=DISTINCT.get(name))
        declared_result = self.resolve(proto.type)
        if isinstance(declared_result, Scalar):
            return CVal(self.convert(value, declared_result.c), declared_result.c)
        if not isinstance(declared_result, Pointer):
            raise self.unsupported(f"`{name}` declared returning {self.describe(declared_result)}", e)
        return value

    def definition_builtin(self, name: str, args: list[c_ast.Node], e: c_ast.FuncCall) -> CVal:
        """library.py's SIGN_OF, NONZERO_IF, CHARACTER and PARTIAL in the definition being inlined, each
        said of the program's call that inlines it."""
        _, call = self.call_sites[-1]
        line, bv = self.line(e), self.t.int.bv
        zero = const(0, bv)
        if name == PARTIAL:
            self.b.end(self.event("ub", e, f"`{self.text(call)}` writes part of an element, which is not modelled"))
            return CVal(zero, self.t.int)
        value = self.convert(self.expression(args[0]), self.t.int)
        if name == CHARACTER:
            ok = disj(compare("eq", value, const(-1, bv)), conj(compare("ge", value, zero),
                                                              compare("le", value, const(255, bv))))
            self.check(ok, "ub", e, f"`{self.text(call)}` takes EOF or an unsigned char's value (C11 7.4p1)")
            return CVal(zero, self.t.int)
        # SIGN_OF(d): any int of d's sign; NONZERO_IF(t): any int that is zero exactly where t is. A havoc
        # named after the program's call, which a replay does not supply: the real function computes it
        ops, fixed = (("lt", "eq", "gt"), "the sign") if name == SIGN_OF else (("eq", "ne"), "whether it is zero")
        result = self.b.temp("result", bv)
        self.b.havoc(result, f"the result of `{self.text(call)}`, of which C fixes only {fixed}", line)
        self.b.assume(disj(*(conj(compare(op, result, zero), compare(op, value, zero)) for op in ops)), line)
        return CVal(result, self.t.int)

    def refuse_library_definition(self, name: str, node: c_ast.Node) -> None:
        """A C library function the program defines with external linkage: see LIBRARY_BUILTINS."""
        if name in LIBRARY_BUILTINS and "static" not in (self.p.functions[name].decl.storage or []):
            raise self.unsupported(f"the program's own definition of the C library function `{name}` "
                                   "(undefined: gcc may compute a call from its built-in instead)", node)

    def nondet(self, name: str, e: c_ast.FuncCall) -> CVal:
        proto = self.p.prototypes.get(name)
        self.refuse_tainted(self.p.taint.names.get(name), f"the declaration of `{name}`")
        if proto is not None:
            rtype = self.resolve(proto.type)
            if not isinstance(rtype, Scalar):
                raise self.unsupported(f"{name}() returning {self.describe(rtype)}", e)
            ctype = rtype.c
        else:
            suffix = name[len(NONDET_PREFIX):]
            if suffix not in NONDET_NAMES:
                raise self.unsupported(f"nondeterministic value of unknown type from {name}()", e)
            ctype = self.c_int(NONDET_NAMES[suffix])
        tmp = self.b.temp("nondet", ctype.bv)
        self.b.havoc(tmp, f"{name}()", self.line(e))
        if ctype.name == "_Bool":
            self.b.assume(compare("le", tmp, const(1, ctype.bv)), self.line(e))
        return CVal(tmp, ctype)

    def inline(self, name: str, args: list[c_ast.Node], e: c_ast.FuncCall, prototyped: bool = True,
               fdef: c_ast.FuncDef | None = None, distinct: tuple[int, int] | None = None) -> CVal:
        """`prototyped`: a prototype of `name` is in scope at the call. Without one (an implicit
        declaration, or `int g();`) the arguments are only promoted, and a parameter whose type is not
        the promoted argument's (`long x` given an int, `char c`, a pointer) is undefined behaviour.
        `fdef`: the body to inline, if not the program's (a C library function's, library.py);
        `distinct`: two pointer arguments that may not point into the same object."""
        library = fdef is not None
        fdef = fdef or self.p.functions[name]
        if not library:  # a C library function's declarations are judged by library_call
            self.enter_function(name, fdef)
        params = self.parameters(fdef.decl.type)
        if len(params) != len(args):
            raise self.unsupported(f"call to `{name}` with {len(args)} arguments for {len(params)} parameters", e)
        types = [self.adjusted_parameter(p, name) for p in params]
        if not prototyped and any(not isinstance(t, Scalar) or self.points(a) for a, t in zip(args, types)):
            raise self.unsupported(f"call to `{name}` without a prototype in scope, passing a pointer", e)
        # C leaves the arguments' order open (C11 6.5.2.2p10); where it changes the outcome the call is
        # refused (sequencing.py), elsewhere it shows only in the order nondeterministic values are read:
        # last argument first, as gcc's builds evaluate them, so that a witness's values replay in place
        # (`f(nondet(), nondet())`)
        if name in self.recursive:
            if any(points_to_struct(t) for t in types):
                raise self.unsupported(f"a pointer to a struct passed to the recursive `{name}`", e)
            values_ = [self.pointer(a, self.pointee(t, f"parameter '{p.name}' of `{name}`", p))
                       if isinstance(t, Pointer) else self.expression(a)
                       for a, p, t in reversed(list(zip(args, params, types)))][::-1]
            self.promoted_as_declared(name, values_, types, prototyped, e)
            return self.recursive_call(name, values_, e)
        values = [self.struct_pointer(p.name, t, a, e) if points_to_struct(t) else
                  self.pointer(a, self.pointee(t, f"parameter '{p.name}' of `{name}`", p))
                  if isinstance(t, Pointer) else self.expression(a)
                  for a, p, t in reversed(list(zip(args, params, types)))][::-1]
        if library:
            for v in values:
                if isinstance(v, PtrVal):
                    self.check(negate(v.null), "ub", e, f"`{self.text(e)}` passes a null pointer to the C "
                                                       f"library's `{name}` (undefined, C11 7.1.4)")
        if distinct is not None:
            first, second = values[distinct[0]], values[distinct[1]]
            if isinstance(first, PtrVal) and isinstance(second, PtrVal) and first.obj is not None \
                    and first.obj is second.obj:
                raise self.unsupported(f"`{name}` within one object, {first.obj.name} (undefined where the "
                                       "two places overlap)", e)
        self.promoted_as_declared(name, values, types, prototyped, e)
        self.calls += 1
        frame = Frame(name, f"{name}#{self.calls}.", [{}], self.resolve(fdef.decl.type.type),
                      value_used=e is not self.discarded_call)
        line = self.line(e)
        frame.join = self.b.location(line)
        if isinstance(frame.return_type, Pointer):
            frame.pointer_result = self.pointer_symbol(f"the result of `{name}`", Var(frame.prefix + "$return", BOOL),
                                                       frame.return_type, e)
            self.uninitialised(frame.pointer_result, line)
        elif isinstance(frame.return_type, Other) and isinstance(frame.return_type.record, c_ast.Struct):
            if e is not self.discarded_call and e is not self.struct_wanted:  # `sizeof(mk(a))`, `{ mk(a) }` as a number
                raise self.unsupported(f"`{self.text(e)}`, a struct, used as a value", e)
            frame.struct_result = self.struct_symbol(frame.prefix + "$return", frame.return_type, False, False, e)
            frame.returned = Var(frame.prefix + "$returned", self.t.int.bv)
            self.b.assign(frame.returned, const(0, frame.returned.type), line)
        elif not isinstance(frame.return_type, Void):
            if not isinstance(frame.return_type, Scalar):
                raise self.unsupported(f"`{name}` returns {self.describe(frame.return_type)}", e)
            frame.result = Var(frame.prefix + "$return", frame.return_type.c.bv)
        bound: list[tuple[str, Symbol, StructPtrSym | PtrVal | CVal]] = []
        for p, t, v in zip(params, types, values):
            sym: Symbol
            if isinstance(v, StructPtrSym):
                sym = v
            elif isinstance(v, PtrVal):
                sym = self.pointer_symbol(p.name, Var(frame.prefix + p.name, BOOL), t, p)
            else:
                ctype = self.scalar(p.type, f"parameter '{p.name}' of `{name}`", p)
                sym = VarSym(Var(frame.prefix + p.name, ctype.bv), ctype)
            bound.append((p.name, sym, v))
        for pname, sym, v in bound:
            if isinstance(sym, PtrSym):
                assert isinstance(v, PtrVal)
                self.bind(sym, v, e)
            elif isinstance(sym, VarSym):
                assert isinstance(v, CVal)
                self.b.assign(sym.var, self.convert(v, sym.type), line)
            frame.scopes[-1][pname] = sym
        self.frames.append(frame)
        self.call_sites.append((name, e))
        self.statement(fdef.body)
        if self.b.current is not None:
            self.finish(None, fdef.body)
        self.call_sites.pop()
        self.frames.pop()
        self.b.place(frame.join)
        if frame.pointer_result is not None:
            result = frame.pointer_result
            if result.obj is None:
                raise self.unsupported(f"`{name}` never returns a pointer into an object", e)
            if result.obj.owner is frame:
                raise self.unsupported(f"`{name}` returns a pointer into {result.obj.name}, which ends with the call", e)
            self.check(compare("ne", result.initialised, const(0, self.t.int.bv)), "ub", e,
                       f"`{name}` ends without returning a pointer")
            return self.held(result)
        if frame.struct_result is not None:  # read by the caller (`structs.struct_object`), which checks it was set
            assert frame.returned is not None
            if e is not self.discarded_call:
                self.check(compare("ne", frame.returned, const(0, frame.returned.type)), "ub", e,
                           f"`{name}` ends without returning a struct, which its caller reads (C11 6.9.1p12)")
            self.struct_results[id(e)] = frame.struct_result
        if frame.result is None:
            return CVal(const(0, self.t.int.bv), self.t.int)
        return CVal(frame.result, frame.return_type.c)  # type: ignore[union-attr]
    def adjusted_parameter(self, param: c_ast.Decl, name: str) -> CType:
        """A called function's parameter's type as its body sees it: `int a[]` and `int a[10]` declare a
        pointer to int (C11 6.7.6.3p7), whatever the bound says. `a[static n]` also promises the caller
        passes at least n elements, which is not checked at calls, so it is refused."""
        node = param.type
        if not isinstance(node, c_ast.ArrayDecl):
            return self.resolve(node)
        if "static" in (node.dim_quals or []):
            raise self.unsupported(f"parameter '{param.name}' of `{name}` declared `[static ...]`", param)
        return Pointer(self.resolve(node.type))

    def promoted_as_declared(self, name: str, values: list, types: list, prototyped: bool,
                             e: c_ast.FuncCall) -> None:
        """Without a prototype, each promoted argument must have its parameter's type (C11 6.5.2.2p6)."""
        if prototyped:
            return
        for v, t in zip(values, types):
            if not (isinstance(v, CVal) and isinstance(t, Scalar) and self.t.promote(v.type).name == t.c.name):
                raise self.unsupported(f"call to `{name}` without a prototype in scope, with an argument whose "
                                       "promoted type is not its parameter's", e)

    def recursive_call(self, name: str, values: list[CVal | PtrVal], e: c_ast.FuncCall) -> CVal:
        """A call into a recursive cycle stays a call, to the callee's body lowered once. A pointer
        argument passes its offset, whether it is null and the object it points into (contents, size,
        liveness), which the call copies back at the return (`procedure`)."""
        params = self.parameters(self.p.functions[name].decl.type)
        passed: dict[int, str] = {}
        for p, v in zip(params, values):
            if isinstance(v, PtrVal) and v.obj is not None:
                if id(v.obj) in passed:  # by value and result, two parameters would copy one object twice
                    raise self.unsupported(f"`{name}` given pointers into {v.obj.name} for '{passed[id(v.obj)]}' "
                                           f"and '{p.name}'", e)
                passed[id(v.obj)] = p.name
        proc = self.procedure(name, values, e)
        args: list[Expr] = []
        copied_back: list[tuple[Var, Var]] = []
        for p, v in zip(params, values):
            if not isinstance(v, PtrVal):
                args.append(self.convert(v, self.scalar(p.type, f"parameter '{p.name}' of `{name}`", p)))
                continue
            sym, pointer = self.pointer_parameters[name][p.name]
            assert sym.obj is not None, "bound where the procedure was lowered"
            if v.pointee is not None and v.pointee.size != sym.pointee.size:
                raise self.unsupported(f"pointer to {v.pointee.name} passed to '{p.name}' of `{name}`, a "
                                       f"pointer to {sym.pointee.name}", e)
            args += [v.offset, ite(v.null, const(1, sym.null.type), const(0, sym.null.type))]
            mine = v.obj
            if mine is None:  # null: the parameter's object is never read; any contents will do
                args += pointer.memory[1:]
                continue
            if not self.same_shape(mine, sym.obj):
                raise self.unsupported(f"pointer parameter '{p.name}' of the recursive `{name}` given "
                                       f"{mine.name}, unlike {sym.obj.name}", e)
            held = (mine.storage.var, *([mine.live] if mine.live is not None else []))  # same_shape: as pointer's
            args += [held[0], mine.size, *held[1:]]
            copied_back += zip(held, pointer.copied_back)
        rtype = self.resolve(self.p.functions[name].decl.type.type)
        target = self.b.temp(f"{name}.result", proc.result.type) if proc.result is not None else None
        self.b.emit(Call(name, tuple(args), target, tuple(copied_back)), self.line(e))
        if target is None:
            return CVal(const(0, self.t.int.bv), self.t.int)
        return CVal(target, rtype.c)  # type: ignore[union-attr]

    @staticmethod
    def same_shape(a: MemObject, b: MemObject) -> bool:
        """Whether a's variables can be copied into b's: one element or an array of the same type, both
        on the heap (freed by free) or neither, both writable or neither."""
        return type(a.storage) is type(b.storage) and a.storage.var.type == b.storage.var.type and \
            (a.live is None) == (b.live is None) and a.storage.read_only == b.storage.read_only

    def parameter_object(self, base: str, param: str, like: MemObject) -> MemObject:
        """The object a procedure's pointer parameter points into: variables `base$mem`, `base$size`
        and, for heap memory, `base$live`, shaped like `like`."""
        size = Var(f"{base}$size", self.t.index)
        storage: VarSym | ArraySym
        if isinstance(like.storage, VarSym):
            storage = VarSym(Var(f"{base}$mem", like.storage.var.type), like.storage.type,
                             read_only=like.storage.read_only)
        else:
            storage = ArraySym(Var(f"{base}$mem", like.storage.var.type), like.storage.elem, [size],
                               read_only=like.storage.read_only)
        live = Var(f"{base}$live", like.live.type) if like.live is not None else None
        return MemObject(f"the object '{param}' points to", storage, size, live)

    def procedure(self, name: str, values: list[CVal | PtrVal], e: c_ast.FuncCall) -> Procedure:
        """The body of `name` as a procedure of its own (variables `name.x`), lowered on first use.

        A pointer parameter points into an object of the procedure's own, shaped like the one the first
        call's argument points into (`same_shape`): its offset, its null flag and the object's contents,
        size and liveness are parameters, and each call copies the contents and liveness back at the
        return (by value and result). That is exact because nothing else reaches the object while the
        call runs: a procedure reads no global, stores no pointer (pointers to pointers and struct
        members that are pointers are refused), returns none, and no two of a call's pointer arguments
        point into one object (`recursive_call`). What it allocates is its activation's own."""
        if name in self.procedures:
            return self.procedures[name]
        fdef = self.p.functions[name]
        self.enter_function(name, fdef)
        return_type = self.resolve(fdef.decl.type.type)
        if not isinstance(return_type, (Scalar, Void)):
            raise self.unsupported(f"`{name}` returns {self.describe(return_type)}", fdef)
        saved = self.b, self.frames, self.call_sites
        self.b = Builder(self.line(fdef), prefix=f"{name}.")
        frame = Frame(name, f"{name}.", [{}], return_type, procedure=True)
        if isinstance(return_type, Scalar):
            frame.result = Var(f"{name}.$return", return_type.c.bv)
        params: list[Var] = []
        pointers: list[PointerParameter] = []
        self.pointer_parameters[name] = {}
        for p, v in zip(self.parameters(fdef.decl.type), values):
            t = self.adjusted_parameter(p, name)
            if isinstance(v, PtrVal):
                assert isinstance(t, Pointer)
                if v.obj is None:
                    raise self.unsupported(f"`{name}`, recursive, first called with a null pointer for '{p.name}' "
                                           "(its object's kind is taken from the first call)", e)
                sym = self.pointer_symbol(p.name, Var(f"{name}.{p.name}", BOOL), t, p)
                sym.loops = ()  # declared for every activation, not in the loops of the call that lowers it
                sym.obj = self.parameter_object(f"{name}.{p.name}", p.name, v.obj)
                assert isinstance(sym.obj.size, Var), "a parameter's object has a size of its own"
                pointer = PointerParameter(sym.offset, sym.null, sym.obj.storage.var, sym.obj.size, sym.obj.live)
                self.pointer_parameters[name][p.name] = sym, pointer
                frame.scopes[-1][p.name] = sym
                params += pointer.params
                pointers.append(pointer)
            else:
                ctype = self.scalar(p.type, f"parameter '{p.name}' of `{name}`", p)
                var = Var(f"{name}.{p.name}", ctype.bv)
                frame.scopes[-1][p.name] = VarSym(var, ctype, outermost=True)  # lives as long as the activation
                params.append(var)
        self.procedures[name] = Procedure(name, self.line(fdef), params, frame.result, self.b.cfg, tuple(pointers))
        self.frames, self.call_sites = [frame], []
        self.statement(fdef.body)
        if self.b.current is not None:
            self.finish(None, fdef.body)
        self.b, self.frames, self.call_sites = saved
        return self.procedures[name]
