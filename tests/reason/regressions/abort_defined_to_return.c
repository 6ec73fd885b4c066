/* function: f
   property: returns-true
   wrong: yes
   found: issue 30, with the fix of error_function_defined_to_return.c: a program's own `abort` was
     taken to end the run whatever its body says
   gcc: `abort` is the C library's; gcc keeps its promise not to return even against this definition
     (-O0 prints 0 for f(5), -O2 prints 1), so f(5) is undefined behaviour: the answer must not be yes */
void abort(void)
{
}

int f(int a)
{
    if (a == 5)
        abort();
    return a != 5;
}
