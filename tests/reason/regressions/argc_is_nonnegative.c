/* function: main
   property: assert
   wrong: no
   found: red team round 3 (issue 30, session 10): `int main(int argc)` took argc as any int, and the
     replay called main(-2147483648) itself
   gcc: C11 5.1.2.2.1p2: "The value of argc shall be nonnegative"; no run of the program has another
   fixed: main's first parameter is assumed nonnegative (lower.py) */
#include <assert.h>
int main(int argc) { assert(argc >= 0); return 0; }
