/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): a declaration a jump passes over was skipped as dead code, so the inner
     `x` was never declared and `x` named the outer one (1)
   gcc: the inner x is in scope at L with an indeterminate value (not 1 on any run tried) */
int f(int a)
{
    int x = 1;
    {
        goto L;
        int x = 2;
    L:
        return x == 1;
    }
}
