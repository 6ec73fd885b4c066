/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): malloc (calloc, alloca) was lowered as a fresh allocation even where the
     program defines it, while gcc's build calls the program's own
   gcc: both calls return pool, so *p is 2 after *q = 2: f returns 0 at -O0
   now (round 2): unknown. malloc is a gcc built-in, and a program's own external definition of it is
     undefined (C11 7.1.3): gcc deletes a call whose result goes unused at -O1, -O2 and -Os, side
     effects and all (calls.LIBRARY_BUILTINS); a static malloc would run its body */
#include <stddef.h>

static int pool[4];

void *malloc(size_t n)
{
    return pool;
}

int f(int a)
{
    int *p = malloc(4);
    int *q = malloc(4);
    *p = 1;
    *q = 2;
    return *p == 1;
}
