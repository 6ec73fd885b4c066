/* function: main
   property: terminates
   wrong: no
   found: session 19 (red team of fd204da): the interpreter's run took &x to be 12345 (an address as an
     integer is any value), so main's loop came back to the same state; the real run took the other
     branch, and the replay counted its running out of the witness's values as confirmation
   gcc: ends at once (no object lives at address 12345)
   fixed: a non-termination witness whose run depends on a value the harness cannot give (an address,
     a library result of which C fixes only part, uninitialised or fresh memory) is not confirmed
     (replay.c._unfed_dependence: the run again with those values unset) */
extern int __VERIFIER_nondet_int(void);

int r(int n)
{
    if (n <= 0)
        return 0;
    return r(n - 1);
}

int main(void)
{
    int x = 0;
    int i = 0;
    r(2);
    while (1) {
        unsigned long a = (unsigned long) &x;
        __VERIFIER_nondet_int();
        if (a != 12345UL) {
            i++;
            if (i >= 300000)
                break;
        }
    }
    return 0;
}
