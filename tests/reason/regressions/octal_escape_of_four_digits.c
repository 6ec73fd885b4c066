/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): '\0377' was read as one octal escape of four digits (255, so -1 as a
     char), but an octal escape ends after three digits
   gcc: '\0377' is the two-character constant '\037' '7', an int of value 0x1f37; f returns 0 */
int f(int a)
{
    return '\0377' == -1;
}
