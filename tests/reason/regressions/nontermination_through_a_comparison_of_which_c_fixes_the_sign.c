/* function: main
   property: terminates
   wrong: no
   found: session 19 (red team): strcmp("a", "f") was taken to be -1000 (C fixes only its sign), so
     `f(110000)` called itself again with the same argument; the replay, given no such value, took its
     own path, recursed 110000 deep reading nondeterministic values, and ran out of the witness's values,
     which counted as confirming
   gcc: glibc's strcmp returns a small negative number, and f returns after 110000 calls
   fixed: such a witness is not confirmed (replay.c._unfed_dependence) */
#include <string.h>
extern int __VERIFIER_nondet_int(void);

int f(int n)
{
    if (n <= 0)
        return 0;
    __VERIFIER_nondet_int();
    if (strcmp("a", "f") > -1000)
        return f(n - 1);
    return f(n);
}

int main(void)
{
    return f(110000);
}
