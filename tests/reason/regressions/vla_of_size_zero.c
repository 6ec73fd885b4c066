/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): a variable-length array of size 0 was accepted as GNU's
     zero-length array, so every path went on to `return 1`
   gcc: C11 6.7.6.2p5 wants a VLA's size greater than zero each time it is evaluated; gcc
     -fsanitize=undefined stops f(0) at the declaration ("variable length array bound evaluates to
     non-positive value 0"). GNU's zero-length arrays are the constant-size `int a[0]` only.
   fixed: a size that is not positive is undefined behaviour (declarations.py), so the answer is unknown */
int f(int n)
{
    if (n < 0 || n > 10)
        return 1;
    int v[n];
    return 1;
}
