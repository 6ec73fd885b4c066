"""The C half of `bench soundness`: programs that stress C's integer rules, and gcc as their judge.

The writer puts small functions, fifty or so to a file, where a translation of C to logic is most easily
wrong: promotions and the usual arithmetic conversions across every integer type (`__int128` included),
literals whose type depends on their value, base and suffix, shifts by amounts near the width, division
and remainder of negatives, narrowing conversions and compound assignments, comparisons that mix signed
and unsigned, ternaries, bit-fields, layout queries (`sizeof`, `_Alignof`, `offsetof` of packed and
aligned structs), struct objects (locals initialised in braces, with braces elided or by designators,
copied and changed; arrays of them, element by element; a struct parameter by value or by pointer,
whose members each row of inputs sets),
bounded loops and loops that end only for some inputs. A small interval analysis steers
most functions clear of undefined behaviour, so that a "yes" is possible at all; some are left risky.

Assertions and return conditions are written with holes. gcc fills them: the batch is first compiled as
a probe that prints each hole's value on every judged input, and then each hole becomes a bound that holds
on all of them (`e <= max`, `e == v` where only one value was seen) or, in one function of three, a
deliberately wrong one (`e <= max - 1`, `e == v + 1`). The tool is never told which.

The judge compiles the batch with `-fsanitize=undefined -fno-sanitize-recover` and a harness that runs
every function on boundary and random inputs, each in a forked child with a CPU-time bound (a crash,
abort or hang costs one input). A "yes" must hold on every run (no UBSan report at all, since the tool
answers yes only where no undefined behaviour is reachable; no failed assertion; no zero return; no run
past the bound, re-run with a long bound before it counts). A "no" must have a witness that the tool's
replay confirmed and that shows the violation here. Anything else is a disagreement.

Csmith's programs are judged the same way, one `assert` question each way about the checksum of their
globals (see `csmith.csmith_program`).

The modules, each over the ones before it: `types` (C's integer types and an interval arithmetic over
them), `program` (a batch: functions as templates with holes), `writer`, `gcc` (the harness that runs
rows under UBSan), `judge` (one batch from writing to judging) and `csmith` (the adapter).
"""
