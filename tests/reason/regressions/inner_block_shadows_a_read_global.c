/* function: main
   property: returns-true
   wrong: yes
   found: session 19 (red team): `rd` was no reader of the global g because an inner block declares a
     local g, so `rd() + wr()` was lowered in one order
   gcc: returns 1 (rd first); calling wr first, which C allows, gives 10
   fixed: a global's name counts as read wherever it appears in the function */
int g = 1;

int rd(void)
{
    {
        int g = 0;
        (void) g;
    }
    return g;
}

int wr(void)
{
    g = 10;
    return 0;
}

int main(void)
{
    int y = rd() + wr();
    return y == 1;
}
