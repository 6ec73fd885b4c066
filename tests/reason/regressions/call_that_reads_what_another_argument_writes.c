/* function: f
   property: returns-true
   wrong: yes
   found: red team, session 18: the order check refused a call that writes a global beside an access
     to it, but not beside a call that only reads it: sub(rd(), g()) was lowered in one order
   gcc: evaluates the arguments last first (f() returns 1); C leaves the order open (C11 6.5.2.2p10),
     and first to last (clang's order) gives sub(1, 2) == -1, so f() returns 0
   fixed: calls to functions that read a global or through a pointer clash with calls that write
     (callgraph.reading_functions) */
int s;

int g(void) { s = s * 2; return s; }
int rd(void) { return s; }
int sub(int a, int b) { return a - b; }

int f(void)
{
    s = 1;
    return sub(rd(), g()) == 0;
}
