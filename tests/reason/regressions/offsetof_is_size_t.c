/* function: f
   property: returns-true
   wrong: yes
   found: bench soundness (seed 3, batch 3, f23) against the front end of f57b28a, which preprocessed with
     -D__builtin_offsetof(t,m)=0: an int 0, so `offsetof(...) < -1` was false, the assertion always failed
     and returns-true held vacuously
   gcc: offsetof is a size_t (here 2), -1 converts to SIZE_MAX, the assertion holds and p = 0 returns 0 */
#include <assert.h>
#include <stddef.h>

struct S { short a; char b; };

int f(unsigned char p)
{
    assert(offsetof(struct S, b) < -1);
    return p;
}
