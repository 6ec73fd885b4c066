/* function: main
   property: assert
   wrong: no
   found: red team round 3 (issue 30, session 10): the replay took exit status 97 for "an assertion
     failed", and the program itself ends with exit(97); the unfolding's counterexample (a result no
     call returns) was "confirmed" by it
   gcc: fact(3) is 6, reach_error is never called; the run exits with 97 and prints nothing
   fixed: an exit status counts only with the harness's own words on stderr (replay/c.py) */
#include <stdlib.h>
extern void reach_error(void);
int fact(int n) { if (n <= 1) return 1; return n * fact(n - 1); }
int main(void) { int r = fact(3); if (r != 6) reach_error(); exit(97); }
