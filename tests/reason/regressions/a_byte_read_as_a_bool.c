/* function: h
   property: returns-true
   wrong: yes
   found: session 18, while letting writes through a pointer of another integer type of the same
     size (views): a read of char storage through a `_Bool *` converted the byte to _Bool (2 -> 1),
     so h was proved to return 1 always
   gcc: loads the byte as it is (h(1) returns 0 at -O0); a _Bool object holding 2 is undefined, and
     UBSan stops at the load ("load of value 2, which is not a valid value for type '_Bool'")
   fixed: such a read checks the byte is 0 or 1, an undefined-behaviour event (expressions.read) */
int h(int n)
{
    char c = n > 0 ? 2 : 1;
    _Bool *b = (_Bool *) &c;
    return *b == 1;
}
