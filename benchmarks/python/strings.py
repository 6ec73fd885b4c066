"""strs as people use them in small functions: scanning with an index, counting characters, skipping
spaces, matching brackets, building a new str in a loop, stripping a prefix, rotating.

About half hold the bugs such loops invite: a `continue` before the index moves, an index that moves only
on some characters, a slice that keeps the whole str, a padding that adds nothing, a rotation that never
reaches the str it waits for.
"""


# terminates: yes  str: s
def count_vowels(s):
    n = 0
    for c in s:
        if c in "aeiou":
            n += 1
    return n


# terminates: yes  str: s
def skip_spaces(s):
    i = 0
    while i < len(s) and s[i] == " ":
        i += 1
    return i


# terminates: yes  str: s
def is_palindrome(s):
    if s == "":
        return True
    i, j = 0, len(s) - 1
    while i < j:
        if s[i] != s[j]:
            return False
        i += 1
        j -= 1
    return True


# terminates: yes  str: line
def count_words(line):
    words = 0
    inside = False
    for c in line:
        if c == " ":
            inside = False
        elif not inside:
            inside = True
            words += 1
    return words


# terminates: yes  str: digits
def strip_leading_zeros(digits):
    while digits.startswith("0"):
        digits = digits[1:]
    return digits


# terminates: yes  str: s
def find_colon(s):
    i = 0
    while i < len(s):
        if s[i] == ":":
            return i
        i += 1
    return -1


# terminates: yes  str: s
def caesar(s, k):
    out = ""
    for c in s:
        out += chr((ord(c) - 97 + k) % 26 + 97)
    return out


# terminates: yes  str: s
def balanced(s):
    depth = 0
    for i, c in enumerate(s):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return i
    return depth == 0


# terminates: no  witness: s='x'
def skip_x(s):
    i = 0
    while i < len(s):
        if s[i] == "x":
            continue
        i += 1
    return i


# terminates: no  witness: s=' '
def strip_spaces(s):
    while s.startswith(" "):
        s = s[0:]
    return s


# terminates: no  witness: s='a'
def count_vowels_by_index(s):
    i = n = 0
    while i < len(s):
        if s[i] in "aeiou":
            n += 1
        else:
            i += 1
    return n


# terminates: no  witness: s=' '
def field_end(s):
    i = 0
    while i < len(s) and s[i] != ";":
        if s[i] == " ":
            continue
        i += 1
    return i


# terminates: no  witness: s='', width=1
def pad(s, width):
    while len(s) < width:
        s = s + ""
    return s


# terminates: no  witness: s='ab'
def rotate_until_sorted(s):
    while s != "abc":
        s = s[1:] + s[0]
    return s


# terminates: no  witness: s='a'
def cycle_to_b(s):
    i = 0
    while s and s[i] != "b":
        i = (i + 1) % len(s)
    return i
