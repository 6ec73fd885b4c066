/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): a write through a pointer that casts const away was modelled
     as an ordinary store, so g == 6 was proved
   gcc: writing an object defined const is undefined (C11 6.7.3p6); gcc puts g in read-only memory
     and f(0) dies of SIGSEGV at the store, at -O0 as at -O2
   fixed: a write through a pointer into an object defined const is unknown (pointers.deref) */
const int g = 5;

int f(int a)
{
    int *p = (int *)&g;
    *p = 6;
    return g == 6;
}
