/* function: f
   property: assert
   wrong: yes
   found: red team (issue 30): `typedef int A[n]` took its size where A was used (n = 5), not where the
     typedef was reached (n = 3), so x[4] was in bounds
   gcc: x has 3 elements; x[4] = 1 is out of bounds (-fsanitize=undefined reports it) */
int f(int a)
{
    int n = 3;
    typedef int A[n];
    n = 5;
    A x;
    x[4] = 1;
    return 1;
}
