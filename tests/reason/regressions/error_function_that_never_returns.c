/* function: f
   property: terminates
   wrong: yes
   found: issue 30, with the fix of error_function_defined_to_return.c: a call to reach_error was
     taken to end the run, so a body that loops forever was never followed
   gcc: f(5) calls reach_error, which spins forever */
void reach_error(void)
{
    for (;;) {
    }
}

int f(int a)
{
    if (a == 5)
        reach_error();
    return a;
}
