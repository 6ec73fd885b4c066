"""A differential soundness campaign: the Python front end (and the engine behind it) against CPython.

Small functions are written from a seed, a hundred to a file, in the corners of Python's integer
semantics where a translation to logic is most easily wrong: big integers, floor division and `%` of
negatives, `**`, bools as ints, chained comparisons whose later operands raise, `and`/`or` returning
operands rather than bools, reads of locals that may be unbound, module constants shadowed by locals,
calls to earlier functions (keyword arguments in shuffled order, defaults that name module constants),
chained and tuple assignments, `isinstance`, bindings after the last `return` (unreachable, yet they make
a name local), `raise` and assertion messages, loops that end and loops that do not, true and
deliberately false `assert`s. Some constructs outside the supported subset (shifts, `divmod`, `~`, `is`)
are mixed in so that the front end's refusals are exercised as well; those functions are answered
unknown, which is right.

`check` answers returns-true, assert and terminates for every function of a file. Each function is
then run by CPython, in a separate interpreter (a crash, or a hang in compiled code, costs the judge
that one function), on boundary values, the function's own constants and their neighbours, and
random inputs. The judge, for each decisive answer:

* yes, assert: no run raises anything (result.py: an escaping exception violates `assert`);
* yes, returns-true: no run returns a false value (raising is not returning);
* yes, terminates: no run is still going after a CPU-time bound far above what any terminating
  function of the writer needs; a run past it is run again with a long bound before it is reported;
* no: the tool's own replay confirmed the witness, and calling the function here on the witness inputs
  shows the violation (an exception; a false return; no return within the long bound).

Everything else is a disagreement, reported with the function's self-contained program text.

The modules, each over the ones before it: `writer`, `runner` (CPython's runs in a separate interpreter),
`judge` (the inputs, and the answers against the runs) and `campaign` (batches written, asked, judged).
"""
