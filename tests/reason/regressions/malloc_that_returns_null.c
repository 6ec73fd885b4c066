/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): every allocation was taken to succeed (SV-COMP's convention),
     so `malloc(n) != 0` was proved for every n
   gcc: glibc's malloc refuses any request past PTRDIFF_MAX, and one the machine cannot give (the
     address space, the kernel's overcommit heuristic, a memory limit): f(1ul << 63) and, on most
     machines, f(1ul << 40) return 0
   fixed: a request of up to 2**31 - 1 bytes succeeds, one past PTRDIFF_MAX returns NULL, and one
     between the two is unknown (pointers.may_fail); here the answer is now no, with n = 2**63 */
#include <stdlib.h>

int f(unsigned long n)
{
    int *p = malloc(n);
    int ok = p != 0;
    free(p);
    return ok;
}
