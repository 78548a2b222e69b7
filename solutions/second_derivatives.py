# %% [markdown]
# # Second derivatives via `create_graph`
#
# D2L §3.4, exercise 4 (ZH §3.2): "What are the problems you might encounter if you wanted to
# compute the second derivatives of the loss? How would you fix them?"
#
# Autograd gives you first derivatives for free. A second derivative is the derivative of a
# derivative, so the first derivative must itself be a tensor autograd can differentiate:
# `torch.autograd.grad(outputs, inputs, create_graph=True)` returns the gradient together with a
# graph of how it was computed. Differentiating each component of that gradient once more gives
# one row of the Hessian; `retain_graph=True` keeps the graph alive from one row to the next.
#
# On the way you meet the problems D2L's question is after. Try the naive routes on the example
# below before the right one, and read PyTorch's messages: differentiate a gradient computed
# without `create_graph`, call `backward()` twice, read `.grad` after two backward calls, take
# $f(x) = 3x$, and think about a model with a million weights. What you see answers part 3.
#
# **Worked example (D2L's squared loss).** $L(w) = \sum_i \frac12 (x_i^\top w + b - y_i)^2$ with
#
# $$X = \begin{pmatrix}1 & 2\\ 2 & 3\\ 3 & 4\end{pmatrix},\quad w = \begin{pmatrix}1\\ 2\end{pmatrix},\quad b = 0,\quad y = \begin{pmatrix}0\\ 1\\ 2\end{pmatrix}.$$
#
# **Predict before you run anything**, and write your answers down:
# 1. The gradient and the Hessian of $L$ with respect to $w$, in closed form and for these
#    numbers. Does the Hessian depend on $w$?
# 2. $(f'(2), f''(2))$ for $f(x) = x^3$, and $(f'(x), f''(x))$ for $f(x) = 3x$.
# 3. What happens when you differentiate a gradient computed without `create_graph`, and when you
#    call `backward()` twice on the same graph?
#
# <details>
# <summary>The answers for the worked example (open this after you have predicted)</summary>
#
# - The gradient is $X^\top (Xw + b - y)$ and the Hessian $X^\top X$, whatever $w$ is. Here the
#   residuals are $[5, 7, 9]$, the gradient is $[[46], [67]]$ and the Hessian is
#   $[[14, 20], [20, 29]]$.
# - $x^3$ at $x = 2$ gives $(12, 12)$; $3x$ gives $(3, 0)$, but its first derivative carries no
#   graph, so differentiating it again raises unless you treat that case.
# - Without `create_graph`, the gradient is a plain tensor: "element 0 of tensors does not require
#   grad and does not have a grad_fn". A second `backward()` fails with "Trying to backward through
#   the graph a second time".
#
# </details>
#
# Implement:
# 1. `grad_and_hessian_wrt_w(X, y, w, b)`: the gradient (shape of `w`) and the Hessian (shape
#    `(d, d)`) of the summed ½ squared loss with respect to `w`, with autograd. Leave `w`, `b`
#    and their `.grad` as they were (the caller may be in the middle of a training step).
# 2. `second_derivative(f, x)`: `(f'(x), f''(x))` as 0-d tensors for a Python float `x` and a
#    function `f` built from torch operations; `f''` is 0 (no error) where `f'` is constant.
#    Use autograd, not finite differences: the checks count how often `f` is evaluated (at most
#    twice).
# 3. `second_derivative_problems()`: which of the listed problems you really meet.

# %%
from collections.abc import Callable

import torch


# %%
def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (gradient, Hessian) of L(w) = sum 1/2 (X w + b - y)**2 with respect to w, computed with autograd.

    The gradient has w's shape (d, 1), the Hessian has shape (d, d). w, b and their .grad are
    left as they were.
    """
    ### BEGIN SOLUTION
    y_hat = X @ w + b
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    # autograd.grad returns the gradient instead of adding it to w.grad; create_graph=True
    # records how it was computed, so the gradient can be differentiated once more.
    (grad,) = torch.autograd.grad(L, w, create_graph=True)
    flat_grad = grad.reshape(-1)
    # Row i of the Hessian is the gradient of the i-th gradient component. Every row reuses
    # the same graph, so it must be kept (retain_graph=True).
    rows = [torch.autograd.grad(flat_grad[i], w, retain_graph=True)[0].reshape(-1)
            for i in range(flat_grad.numel())]
    return grad.detach(), torch.stack(rows)
    ### END SOLUTION


# %%
def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (f'(x), f''(x)) as 0-d tensors for a scalar function f built from torch operations, using autograd.

    f''(x) is 0 where f' does not depend on x (no error).
    """
    ### BEGIN SOLUTION
    x_leaf = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf, create_graph=True)
    if not d1.requires_grad:
        # f' does not depend on x (f is linear): no graph is left to differentiate, f'' = 0.
        return d1, torch.zeros_like(d1)
    (d2,) = torch.autograd.grad(d1, x_leaf)
    return d1.detach(), d2
    ### END SOLUTION


# %%
def second_derivative_problems() -> set[str]:
    """Return the problems one meets computing second derivatives in PyTorch, chosen from the names below.

    "constant_first_derivative"  if f' does not depend on x, differentiating it again raises
    "float64_only"               autograd cannot take second derivatives in float32
    "grad_accumulates"           .grad accumulates across backward calls and pollutes the result
    "graph_freed"                backward frees the graph, so a second backward raises
    "graph_not_built"            the first gradient carries no graph unless create_graph=True
    "hessian_memory"             the Hessian has d*d entries: memory and time grow quadratically
    "needs_numpy"                second derivatives need NumPy
    """
    ### BEGIN SOLUTION
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
    ### END SOLUTION
