/* function: main
   property: returns-true
   wrong: yes
   found: session 19 (red team of eb45c99): `callgraph` took `a` for the function's own array because an
     inner block declares one, so `a[0] = 100` through the parameter was no write of memory, and
     `x + set(&x)` was lowered in gcc's order (the call first)
   gcc: returns 1 at -O0; the other order C allows (x read before the call, C11 6.5.2.2p10) gives 6
   fixed: only a name the function declares once (its parameters included) counts as its own array or
     fresh allocation; a global's name counts as read wherever it appears */
int set(int *a)
{
    {
        int a[1];
        a[0] = 0;
    }
    a[0] = 100;
    return 1;
}

int main(void)
{
    int x = 5;
    int y = x + set(&x);
    return y == 101;
}
