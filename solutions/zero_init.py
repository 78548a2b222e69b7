# %% [markdown]
# # Zero initialisation (and "variance 1000")
#
# D2L §3.4, exercise 1 (ZH §3.2): "What would happen if we were to initialize the weights to zero.
# Would the algorithm still work? What if we initialized the parameters with variance 1000 rather
# than 0.01?"
#
# Published answers are split, and many borrow the argument made for multi-layer networks ("all
# weights get the same gradient", "only b is learned", "不能收敛"). Settle it by computing what
# autograd really does.
#
# At $w = 0, b = 0$ every prediction is 0, so the residual is $r = \hat y - y = -y$. The gradients
# of the summed ½ squared loss are $\partial L/\partial w = X^\top r$ and
# $\partial L/\partial b = \sum_i r_i$. Take
#
# $$X = \begin{pmatrix}1 & 2\\ 2 & 3\\ 3 & 4\end{pmatrix},\quad y = \begin{pmatrix}0\\ 1\\ 2\end{pmatrix}$$
#
# and a two-layer linear network $\mathrm{out} = (X W_1 + b_1) W_2 + b_2$ with every parameter 0.
#
# **Predict before you run anything**, and write your answers down:
# 1. What are the two gradients at $w = 0, b = 0$ for this $X$ and $y$? Are they zero? Does each
#    weight get the same gradient?
# 2. Does D2L's loop (1000 examples, lr 0.03, batch 10, 3 epochs) still reach the true
#    $w = [2, -3.4]$, $b = 4.2$ when started from zeros?
# 3. In the two-layer network, which of $W_1, b_1, W_2, b_2$ get a non-zero gradient at zero?
# 4. `torch.normal(0, sigma, ...)`: is its `sigma` a variance or a standard deviation? Which
#    `sigma` gives weights of variance 1000?
#
# <details>
# <summary>What autograd and the book's loop show (open this after you have predicted)</summary>
#
# - **Linear regression trains from w = 0.** The first gradients are $[[-8], [-11]]$ and $[-3]$:
#   $-X^\top y$ and $-\sum_i y_i$, different per weight and non-zero as soon as the labels are, so
#   there is no symmetry to break. From zeros the loop ends at $w = [1.99966, -3.39960]$,
#   $b = 4.19908$, loss $4.65 \cdot 10^{-5}$: the same as from $N(0, 0.01^2)$. The loss is a convex
#   quadratic; where you start only changes how long the walk is.
# - **Where zero initialisation does break: hidden units.** The hidden layer outputs 0, so $W_2$'s
#   gradient $h^\top r$ is 0; $W_1$'s and $b_1$'s gradients pass back through $W_2 = 0$, so they are
#   0 too. Only the output bias moves: trained on D2L's data, $W_1$ and $W_2$ stay exactly 0 and
#   $b_2$ ends at the mean label, 4.257.
# - **"Variance 1000".** `torch.normal`'s second argument is a *standard deviation*: variance 1000
#   means $\sigma = \sqrt{1000} \approx 31.6$; passing `sigma=1000` (as several forum answers do)
#   means variance $10^6$. Both still converge for linear regression, only later: per-epoch losses
#   $[0.485, 9.9 \cdot 10^{-4}, 4.8 \cdot 10^{-5}]$ for $\sigma = 31.6$ and
#   $[497.6, 1.004, 2.1 \cdot 10^{-3}]$ for $\sigma = 1000$.
#
# </details>
#
# Implement (D2L's old-edition conventions: `w` is a column `(d, 1)`, `b` has shape `(1,)`, both
# float32 leaf tensors with `requires_grad=True`):
# 1. `init_params(num_inputs, mode, sigma, generator)`: mode `"zeros"` gives `w = 0`; mode
#    `"normal"` draws `w` from $N(0, \sigma^2)$ with the given generator; `b = 0` in both; any
#    other mode raises `ValueError`.
# 2. `first_step_grads(X, y)`: the gradients of the summed ½ squared loss at `w = 0, b = 0`,
#    computed with autograd.
# 3. `std_for_variance(variance)`: the `sigma` to pass to `init_params` (a Python float).
# 4. `zero_init_works()`: does linear regression trained with minibatch SGD still reach the true
#    parameters from `w = 0`? Answer by experiment.
# 5. `two_layer_zero_init_grads(X, y, hidden)`: the gradients of the *mean* ½ squared loss of the
#    two-layer network above with all parameters 0, keyed `"W1"`, `"b1"`, `"W2"`, `"b2"`.

# %%
import math

import torch


# %%
def init_params(num_inputs: int, mode: str = "normal", sigma: float = 0.01,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Return fresh parameters (w, b): w of shape (num_inputs, 1), b of shape (1,), float32 leaf
    tensors with requires_grad=True.

    mode "zeros": w = 0; mode "normal": w ~ N(0, sigma**2), drawn with `generator` (None: torch's
    global generator), where sigma is a STANDARD DEVIATION. b = 0 in both modes. Any other mode
    raises ValueError.
    """
    ### BEGIN SOLUTION
    if mode == "zeros":
        w = torch.zeros((num_inputs, 1), requires_grad=True)
    elif mode == "normal":
        w = torch.normal(0.0, sigma, size=(num_inputs, 1), generator=generator, requires_grad=True)
    else:
        raise ValueError(f"unknown mode {mode!r}: use 'zeros' or 'normal'")
    b = torch.zeros(1, requires_grad=True)
    return w, b
    ### END SOLUTION


# %%
def first_step_grads(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the gradients (dL/dw, dL/db) of the summed 1/2 squared loss at w = 0, b = 0,
    computed with autograd.

    The shapes are those of the parameters: (d, 1) and (1,).
    """
    ### BEGIN SOLUTION
    w, b = init_params(X.shape[1], mode="zeros")
    y_hat = X @ w + b
    l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    l.sum().backward()
    return w.grad, b.grad
    ### END SOLUTION


# %%
def std_for_variance(variance: float) -> float:
    """Return the sigma (a standard deviation) to pass to init_params for weights of the given
    variance, as a Python float."""
    ### BEGIN SOLUTION
    return math.sqrt(variance)
    ### END SOLUTION


# %%
def zero_init_works() -> bool:
    """Return whether linear regression trained with minibatch SGD from w = 0 still reaches the
    true parameters.

    Answer by experiment: D2L's data (true w = [2, -3.4], b = 4.2, 1000 examples), lr 0.03,
    batch size 10, 3 epochs, starting from init_params(2, "zeros").
    """
    ### BEGIN SOLUTION
    generator = torch.Generator().manual_seed(0)
    true_w, true_b = torch.tensor([[2.0], [-3.4]]), 4.2
    X = torch.randn(1000, 2, generator=generator)
    y = X @ true_w + true_b + 0.01 * torch.randn(1000, 1, generator=generator)
    w, b = init_params(2, mode="zeros")
    lr, num_epochs, batch_size = 0.03, 3, 10
    for _ in range(num_epochs):
        for batch in torch.randperm(1000, generator=generator).split(batch_size):
            l = (X[batch] @ w + b - y[batch]) ** 2 / 2
            l.sum().backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad / batch_size
                    param.grad.zero_()
    return bool((w - true_w).abs().max() < 0.01 and (b - true_b).abs().max() < 0.01)
    ### END SOLUTION


# %%
def two_layer_zero_init_grads(X: torch.Tensor, y: torch.Tensor, hidden: int = 3) -> dict[str, torch.Tensor]:
    """Return the gradients of the MEAN 1/2 squared loss of out = (X @ W1 + b1) @ W2 + b2 with
    every parameter zero, keyed "W1", "b1", "W2", "b2".

    The parameters are W1 (d, hidden), b1 (hidden,), W2 (hidden, 1) and b2 (1,); each gradient
    has its parameter's shape.
    """
    ### BEGIN SOLUTION
    params = {
        "W1": torch.zeros((X.shape[1], hidden), requires_grad=True),
        "b1": torch.zeros(hidden, requires_grad=True),
        "W2": torch.zeros((hidden, 1), requires_grad=True),
        "b2": torch.zeros(1, requires_grad=True),
    }
    out = (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    loss = ((out - y.reshape(out.shape)) ** 2 / 2).mean()
    loss.backward()
    return {name: param.grad for name, param in params.items()}
    ### END SOLUTION
