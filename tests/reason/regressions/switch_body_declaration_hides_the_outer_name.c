/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): the declaration at the top of a switch body, which no case reaches, was
     skipped as dead code, and `x` in `case 1` named the outer x (1)
   gcc: f(1) reads the inner x, indeterminate (its initialiser never runs), and returns 0 */
int f(int a)
{
    int x = 1;
    switch (a) {
        int x = 2;
    case 1:
        return x == 1;
    default:
        return 1;
    }
}
