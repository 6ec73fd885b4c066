/* function: main
   property: returns-true
   wrong: yes
   found: session 19, while letting pointers into recursive functions: `x += set(&x)` was lowered in
     gcc's order (the call first, then x read), which C leaves open
   gcc: returns 101 (reads x after the call); the other order C allows reads 5 and returns 6: the
     read of a compound assignment's left operand and the call's body are indeterminately sequenced
     (C11 6.5.16p3, 6.5.2.2p10), an unspecified order, so a yes would rest on one compiler's choice
   fixed: the lowering refuses a compound assignment whose right operand's statements (calls
     inlined, and what recursive calls copy back) may change the variable the left one reads
     (expressions.assignment); a global a call writes is refused before lowering (sequencing) */
int set(int *p)
{
    *p = 100;
    return 1;
}

int main(void)
{
    int x = 5;
    x += set(&x);
    return x == 101;
}
