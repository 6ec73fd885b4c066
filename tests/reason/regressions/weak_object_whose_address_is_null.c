/* function: f
   property: returns-true
   wrong: yes
   found: red team, session 18: `__attribute__((weak))` was refused but `#pragma weak` was not, and
     the address of an object is never null in the model
   gcc: w is defined nowhere, so the linker resolves the weak reference to 0: f() returns 0
   fixed: `#pragma weak` is not modelled, for every function (preprocess.py) */
#pragma weak w
extern int w;

int f(void)
{
    int *p = &w;
    return p != 0;
}
