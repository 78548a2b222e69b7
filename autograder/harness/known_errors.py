"""PyTorch's error messages that learners of this lesson really meet, each with its explanation."""

from __future__ import annotations

from autograder.harness.feedback import Hint

NOT_IMPLEMENTED = Hint("not_implemented", "Replace `raise NotImplementedError` in that function with your code.")
GENERIC_RAISE = Hint("raised", "Read PyTorch's message above: it names the operation that failed. Call the "
                     "function yourself on a tiny input (three examples) and print the shapes of what you combine.")

KNOWN_ERRORS: list[tuple[str, Hint]] = [
    ("grad can be implicitly created only for scalar outputs", Hint(
        "backward_on_vector", "PyTorch only differentiates a scalar implicitly: `l.sum().backward()`, or pass "
        "the weights yourself through backward's `gradient` argument (all ones means: sum). (MXNet, used by the "
        "first Chinese edition, summed silently; PyTorch does not.)")),
    ("a leaf Variable that requires grad is being used in an in-place operation", Hint(
        "inplace_without_no_grad", "Updating a parameter in place must not be recorded by autograd: wrap the "
        "update in `with torch.no_grad():`.")),
    ("does not require grad and does not have a grad_fn", Hint(
        "no_graph", "That tensor carries no autograd graph. A gradient you want to differentiate again needs "
        "`torch.autograd.grad(..., create_graph=True)`; a parameter needs `requires_grad=True` when created.")),
    ("Trying to backward through the graph a second time", Hint(
        "graph_freed", "backward frees the graph it used. Build the first derivative with `create_graph=True` "
        "(which keeps the graph), or pass `retain_graph=True`.")),
    ("Boolean value of Tensor with more than one value is ambiguous", Hint(
        "if_on_tensor", "`if` needs one True/False, but a comparison of tensors gives one per element. Use "
        "`torch.where(condition, a, b)` (or a mask) to choose elementwise.")),
    ("unsupported operand type(s) for *: 'float' and 'NoneType'", Hint(
        "grad_is_none", "A `.grad` was None: that tensor was not a leaf with `requires_grad=True`, so backward "
        "never filled it. Create parameters with `requires_grad=True`.")),
    ("input tensors must have the same dtype", Hint(
        "dtype_mismatch", "Two tensors of different dtypes met in a matrix product (NumPy makes float64, an integer "
        "tensor is int64, torch parameters are float32). Convert with `.float()` or `.to(X.dtype)`.")),
    ("expected m1 and m2 to have the same dtype", Hint(
        "dtype_mismatch", "Two tensors of different dtypes met in a matrix product (NumPy makes float64, torch "
        "parameters are float32). Create data with torch, or convert with `.float()`.")),
    ("mat1 and mat2 shapes cannot be multiplied", Hint(
        "matmul_shapes", "The inner sizes of a matrix product must agree: X is (n, d) and w is (d, 1). Print the "
        "shapes just before the `@`.")),
    ("only one dimension can be inferred", Hint(
        "reshape_two_minus_ones", "`-1` in reshape means 'work this size out from the number of elements'; only "
        "one dimension can be left to infer.")),
    ("is invalid for input of size", Hint(
        "reshape_size", "reshape keeps the number of elements: the target shape must hold exactly as many "
        "elements as the tensor has.")),
]


def hint_for_error(message: str, specific: list[tuple[str, Hint]] | None = None) -> Hint:
    """The hint for a raised error: the check module's own table first, then PyTorch's known ones."""
    for fragment, hint in [*(specific or []), *KNOWN_ERRORS]:
        if fragment in message:
            return hint
    return GENERIC_RAISE
