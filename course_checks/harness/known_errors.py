"""Errors learners of this lesson really meet, each with its hint ladder.

PyTorch's own messages are matched by a fragment of their text; Python's everyday errors
(NameError, TypeError, ...) by their type. A check module adds its own in `ERROR_HINTS`, a list of
`ErrorHint(fragment, hint)`, optionally only for errors raised in some of its functions
(`only={"huber_loss"}`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from course_checks.harness.feedback import Hint


@dataclass(frozen=True)
class ErrorHint:
    """The hint for an error whose message contains `fragment` (raised in one of `only`, if given)."""

    fragment: str
    hint: Hint
    only: frozenset[str] = frozenset()

    def matches(self, message: str, function: str) -> bool:
        """Whether this entry explains an error with this message, raised in this function."""
        return self.fragment in message and (not self.only or function in self.only)


NOT_IMPLEMENTED = Hint(
    "not_implemented",
    concept="{function} is still the stub's placeholder: write its body, as its docstring and the instructions describe.",
    where="Open {function} and find the line that raises NotImplementedError.",
    code="Replace `raise NotImplementedError` in {function} with your own code, and return the result.")
GENERIC_RAISE = Hint(
    "raised",
    concept="Read the error's last line: it names the operation that failed and why.",
    where="Look at the line of your code shown after 'got:', and at the shapes and dtypes of the tensors it combines.",
    code="Call the function yourself on three examples and print each tensor's `.shape` and `.dtype` just before that "
         "line.")

KNOWN_ERRORS: list[ErrorHint] = [
    ErrorHint("grad can be implicitly created only for scalar outputs", Hint(
        "backward_on_vector",
        concept="PyTorch differentiates only a single number implicitly, and a loss with one value per example is a "
                "vector. (MXNet, used by the first Chinese edition, summed silently; PyTorch does not.)",
        where="Look at the backward call: it needs one number, or the weights of each element of the vector.",
        code="Sum first, `l.sum().backward()`, or give the weights yourself: `l.backward(gradient=torch.ones_like(l))`.")),
    ErrorHint("a leaf Variable that requires grad is being used in an in-place operation", Hint(
        "inplace_without_no_grad",
        concept="Updating a parameter in place is not part of the model, so autograd must not record it.",
        where="Look at the line that changes the parameter in place (`-=`, `sub_`, slice assignment).",
        code="Put the update inside `with torch.no_grad():`.")),
    ErrorHint("does not require grad and does not have a grad_fn", Hint(
        "no_graph",
        concept="That tensor carries no autograd graph, so there is nothing to differentiate it along.",
        where="Find where the tensor was made: a gradient computed without keeping its graph, or a parameter created "
              "without requires_grad.",
        code="Compute a gradient you will differentiate again with `torch.autograd.grad(..., create_graph=True)`; "
             "create a parameter with `requires_grad=True`.")),
    ErrorHint("Trying to backward through the graph a second time", Hint(
        "graph_freed",
        concept="backward frees the graph it used, so the same graph cannot be walked a second time.",
        where="Look at the first backward or autograd.grad call on that graph.",
        code="Build the first derivative with `create_graph=True` (which keeps the graph), or pass `retain_graph=True`.")),
    ErrorHint("Boolean value of Tensor with more than one value is ambiguous", Hint(
        "if_on_tensor",
        concept="An if statement needs one True or False, but comparing tensors gives one answer per element.",
        where="Look at the if (or and/or) that tests a tensor: the choice must be made element by element.",
        code="Choose elementwise with `torch.where(condition, a, b)` (or a mask).")),
    ErrorHint("unsupported operand type(s) for *: 'float' and 'NoneType'", Hint(
        "grad_is_none",
        concept="A .grad was empty: backward fills it only for leaf tensors that require grad.",
        where="Look at how the parameter was created.",
        code="Create parameters with `requires_grad=True`, e.g. `torch.zeros((d, 1), requires_grad=True)`.")),
    ErrorHint("input tensors must have the same dtype", Hint(
        "dtype_mismatch",
        concept="Two tensors of different dtypes met in a matrix product: NumPy makes float64, an integer tensor is "
                "int64, torch parameters are float32.",
        where="Print the dtype of each operand of the product.",
        code="Convert with `.float()` or `.to(X.dtype)` before the product.")),
    ErrorHint("expected m1 and m2 to have the same dtype", Hint(
        "dtype_mismatch",
        concept="Two tensors of different dtypes met in a matrix product: NumPy makes float64, torch parameters are "
                "float32.",
        where="Print the dtype of each operand of the product.",
        code="Create the data with torch, or convert with `.float()`.")),
    ErrorHint("mat1 and mat2 shapes cannot be multiplied", Hint(
        "matmul_shapes",
        concept="In a matrix product the inner sizes must agree: X is (n, d) and w is (d, 1).",
        where="Print the shapes of both operands just before the product.",
        code="Make w a column of d weights, `w.reshape(-1, 1)`, so that `X @ w` is (n, 1).")),
    ErrorHint("only one dimension can be inferred", Hint(
        "reshape_two_minus_ones",
        concept="-1 in reshape means: work this size out from the number of elements; only one size can be left to "
                "work out.",
        where="Look at the reshape with two -1s.",
        code="Give every size but one, e.g. `reshape(-1, 1)` for a column.")),
    ErrorHint("is invalid for input of size", Hint(
        "reshape_size",
        concept="reshape keeps the number of elements: the new shape must hold exactly as many as the tensor has.",
        where="Compare the number of elements of the tensor with the product of the sizes you asked for.",
        code="Reshape to a shape with the same number of elements, e.g. `y.reshape(y_hat.shape)` when both hold n.")),
]

# Python's own errors, by type: they are mistakes in the code itself, not in the maths.
PYTHON_ERRORS: dict[str, Hint] = {
    "NameError": Hint(
        "name_error",
        concept="A name is used that Python does not know at that point: a typo, or a variable that belongs to "
                "another function or cell.",
        where="Look at the line shown after 'got:' and compare each name on it with the names this function defines "
              "or imports.",
        code="Define or import the name before that line, or correct its spelling (names are case-sensitive)."),
    "UnboundLocalError": Hint(
        "unbound_local",
        concept="The function assigns to this name somewhere, so Python treats it as local everywhere in the function, "
                "and it is read before that assignment.",
        where="Look at the line shown after 'got:' and at the later assignment to the same name.",
        code="Assign the name before it is read, or give the local variable another name."),
    "AttributeError": Hint(
        "attribute_error",
        concept="An object has no attribute or method of that name: a typo, or an object of another type than you "
                "think.",
        where="Look at the line shown after 'got:' and print the type of the object before the dot.",
        code="Use the attribute of the object's real type (e.g. `.shape`, `.reshape(...)`, `.grad`), spelt exactly."),
    "TypeError": Hint(
        "type_error",
        concept="A function or operator got a value of the wrong type, or the wrong number of arguments.",
        where="Look at the line shown after 'got:': compare the call with the signature of the function it calls.",
        code="Pass exactly the arguments the signature asks for, as the types it expects (tensors, floats, ints)."),
    "IndexError": Hint(
        "index_error",
        concept="An index is outside the sequence or tensor it reads from.",
        where="Look at the line shown after 'got:' and print the length or shape of what is indexed.",
        code="Index only within the sizes you printed; for the last element use -1."),
    "KeyError": Hint(
        "key_error",
        concept="A dictionary has no entry for that key.",
        where="Look at the line shown after 'got:' and print the dictionary's keys.",
        code="Use one of the keys it has, or check with `key in mapping` first."),
    "ZeroDivisionError": Hint(
        "zero_division",
        concept="A plain Python number was divided by zero.",
        where="Look at the line shown after 'got:' and at how the divisor was computed.",
        code="Divide by the quantity the formula names (e.g. batch_size or sigma), which is never 0 here."),
    "RecursionError": Hint(
        "recursion_error",
        concept="A function calls itself without end.",
        where="Look at the function named after 'got:': it calls itself, directly or through another function.",
        code="Call the helper you meant (e.g. a given D2L function), not the function you are writing."),
}

def hint_for_error(message: str, error_type: str, function: str, specific: Sequence[ErrorHint] = ()) -> Hint:
    """The hint for a raised error: the check module's own table first (entries may be limited to
    some functions), then PyTorch's known messages, then Python's error types."""
    for entry in [*specific, *KNOWN_ERRORS]:
        if entry.matches(message, function):
            return entry.hint
    return PYTHON_ERRORS.get(error_type, GENERIC_RAISE)
