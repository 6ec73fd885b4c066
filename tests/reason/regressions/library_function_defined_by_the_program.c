/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): a program's own `abs` was inlined like any other function
   gcc: abs is a built-in: gcc folds abs(-5) to 5 even at -O0, whatever the program's body says, so
     f() returns 0 (defining a C library function with external linkage is undefined, C11 7.1.3);
     the same for labs, llabs, ffs, isdigit, isascii, toascii, strlen, strcmp, ...
   fixed: a call to the program's own external definition of a library function gcc knows as a
     built-in is unknown (calls.LIBRARY_BUILTINS); a static one is the program's and runs its body */
int abs(int x)
{
    return 42;
}

int f(void)
{
    return abs(-5) == 42;
}
