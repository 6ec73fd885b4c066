/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): a call to reach_error (or abort, exit, ...) was taken to end the
     program whatever the program's own definition says, so the path with a == 5 was never followed
   gcc: this reach_error returns; f(5) goes on and returns 0
   fixed: the function is lowered for the property asked (calls.py): under returns-true the body runs */
void reach_error(void)
{
}

int f(int a)
{
    if (a == 5)
        reach_error();
    return a != 5;
}
