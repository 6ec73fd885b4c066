/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): a call to reach_error (or abort, exit, ...) was taken to end the
     program whatever the program's own definition says, so the path with a == 5 was never followed
   gcc: this reach_error returns; f(5) goes on and returns 0
   xfail: the call is lowered as the end of the run (SV-COMP's reading, which the assert property and the
     tests of other sessions rely on even where the body returns); following the body for the other
     properties needs a branch the IR does not have without a nondeterministic value the replay would
     have to supply */
void reach_error(void)
{
}

int f(int a)
{
    if (a == 5)
        reach_error();
    return a != 5;
}
