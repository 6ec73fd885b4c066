"""The interpreter's arrays (ir/evaluate.ArrayValue): persistent maps whose stores share the array they
update. Against a dict: the cells read back, equality and the hash that keeps up with each store
(execution's cycle detection hashes every state) agree with the contents, never with the history."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from solomonic.reason.ir.evaluate import ArrayValue

stores = st.lists(st.tuples(st.integers(-5, 5), st.integers(-3, 3)), max_size=30)


@given(stores, stores)
def test_arrays_with_the_same_cells_are_equal_and_hash_alike_whatever_their_history(first, second):
    a, b = ArrayValue(0), ArrayValue(0)
    model_a: dict[int, int] = {}
    model_b: dict[int, int] = {}
    for index, value in first:
        a, model_a[index] = a.set(index, value), value
    for index, value in second:
        b, model_b[index] = b.set(index, value), value
    assert all(a.get(i) == model_a.get(i, 0) for i in range(-6, 7))
    assert a.entries == tuple(sorted(model_a.items()))
    assert (a == b) == (model_a == model_b)
    if model_a == model_b:
        assert hash(a) == hash(b)
    assert ArrayValue(0, a.entries) == a and hash(ArrayValue(0, a.entries)) == hash(a)


def test_a_store_leaves_the_array_it_updates_unchanged():
    a = ArrayValue(7, ((0, 1),))
    b = a.set(0, 2).set(5, 3)
    assert (a.get(0), a.get(5), b.get(0), b.get(5)) == (1, 7, 2, 3)
    assert a.entries == ((0, 1),) and a != b
