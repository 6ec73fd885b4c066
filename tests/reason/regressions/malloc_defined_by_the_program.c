/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): malloc (calloc, alloca) was lowered as a fresh allocation even where the
     program defines it, while gcc's build calls the program's own
   gcc: both calls return pool, so *p is 2 after *q = 2: f returns 0 */
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
