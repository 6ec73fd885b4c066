/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): name lookup tried variables before enumerators, so the block's
     enumerator X did not hide the variable X, and `X == a` compared a with itself
   gcc: X is 7 inside the block; f(0) returns 0 */
int f(int a)
{
    int X = a;
    {
        enum { X = 7 };
        return X == a;
    }
}
