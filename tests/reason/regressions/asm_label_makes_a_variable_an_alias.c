/* function: g
   property: returns-true
   wrong: yes
   found: red team (issue 30): asm labels were dropped as mere linker names, so x and y were two
     objects of the model
   gcc: x is the symbol y, one object: after x = 2, y is 2 and g returns 0 */
int y = 5;
extern int x __asm__("y");

int g(int a)
{
    y = 1;
    x = 2;
    return y == 1;
}
