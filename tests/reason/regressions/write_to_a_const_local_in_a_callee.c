/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): the inlined callee's store into the caller's const local was
     modelled as an ordinary store, so x == 9 was proved
   gcc: writing an object defined const is undefined (C11 6.7.3p6); -O0 returns 1, -O2 folds x to 1
     and returns 0 (UBSan does not see it) */
static void h(int *q)
{
    *q = 9;
}

int f(int a)
{
    const int x = 1;
    h((int *)&x);
    return x == 9;
}
