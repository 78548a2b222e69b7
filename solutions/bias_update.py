# %% [markdown]
# # Why `b` updates: minibatch gradients are sums, hence `/ batch_size`
#
# A question from the Chinese D2L forum (zh.d2l.ai, §3.2): *"b是一个标量，b.grad应该是一直等于0的…
# 那为什么b会变化呢"* ("b is a scalar, so b.grad should always be 0… so why does b change?").
# The answer is in two lines of the book's training loop:
#
# ```python
# l = loss(net(X, w, b), y)   # one loss per example: shape (batch_size, 1)
# l.sum().backward()          # the gradient of the SUM over the batch
# sgd([w, b], lr, batch_size) # param -= lr * param.grad / batch_size
# ```
#
# Every example contributes $\partial l_i / \partial b = \hat y_i - y_i = r_i$ (its residual) to
# `b`'s gradient, and the examples all share `b`. Take the worked example
#
# $$X = \begin{pmatrix}1 & 2\\ 2 & 3\\ 3 & 4\end{pmatrix},\quad y = \begin{pmatrix}0\\ 1\\ 2\end{pmatrix},\quad w = \begin{pmatrix}1\\ 2\end{pmatrix},\quad b = [0].$$
#
# **Predict before you run anything**, and write your answers down:
# 1. What shape does `b.grad` have after `l.sum().backward()` on a batch of 3 examples, and what
#    value? Is it zero?
# 2. What does `l.backward()` (without the sum) do in PyTorch?
# 3. Where do `w` and `b` land after one `sgd` step with `lr = 0.1`, `batch_size = 3`, and where
#    would they land without `/ batch_size`? Would the book's run (lr 0.03, batch 10) still
#    converge without it?
# 4. What is in `.grad` after a second `backward()` if nobody clears it?
#
# <details>
# <summary>The answers (open this after you have predicted)</summary>
#
# - **A gradient always has the shape of its parameter.** `b` has shape `(1,)`, so `b.grad` has
#   shape `(1,)`, whatever the batch size. It is not zero: `backward` adds the contributions of all
#   the examples that share `b`, $\partial L / \partial b = \sum_i r_i$; likewise
#   $\partial L / \partial w = X^\top r$. Here the predictions are $[5, 8, 11]$, the residuals
#   $r = [5, 7, 9]$, so `b.grad = [21.]` and `w.grad = [[46.], [67.]]`.
# - **PyTorch only differentiates a scalar implicitly.** `l.backward()` on the `(batch_size, 1)`
#   loss fails with *"grad can be implicitly created only for scalar outputs"*. (MXNet, used by
#   the first Chinese edition, summed silently, which is where "`l.backward()` is the same as
#   `l.sum().backward()`" comes from.) backward of a vector takes a second vector, the one of the
#   vector–Jacobian product: with a vector of ones it gives the same gradients as the sum.
# - **Because `.grad` is a sum over the batch, `sgd` divides by the batch size**, so the step size
#   does not depend on how many examples the batch holds. One step moves `w` to
#   $[[-0.5333], [-0.2333]]$ and `b` to $[-0.7]$; without `/ batch_size` they would land at
#   $[[-3.6], [-4.7]]$ and $[-2.1]$. Forgetting it does not visibly break the book's run (at
#   `lr = 0.03`, `batch_size = 10` it behaves like `lr = 0.3`, which still converges), which is why
#   the checks look at single steps, not at the end result.
# - `.grad` **accumulates** across `backward()` calls: a second `backward()` without clearing gives
#   `w.grad = [[92.], [134.]]`, `b.grad = [42.]`, so `sgd` clears it. And the update must not be
#   recorded by autograd: updating a leaf parameter in place outside `torch.no_grad()` fails with
#   *"a leaf Variable that requires grad is being used in an in-place operation."*
#
# </details>
#
# Implement (all tensors are float32; `w` is `(d, 1)`, `b` is `(1,)`; they may be plain leaf
# tensors with `requires_grad=True` or `nn.Parameter`s):
# 1. `minibatch_grads(X, y, w, b)`: the gradients of the summed ½ squared loss with respect to
#    `w` and `b`, shaped like `w` and `b`.
# 2. `per_example_b_grads(X, y, w, b)`: each example's $\partial l_i / \partial b$, shape `(n,)`.
#    They add up to the `b` gradient of `minibatch_grads`.
# 3. `sgd(params, lr, batch_size)`: D2L's update, in place and not recorded by autograd, then
#    clear each `.grad` (zero it or set it to `None`). The parameters stay the same tensor objects.
# 4. `backward_vector_loss(l)`: fill the parameters' `.grad` exactly as `l.sum().backward()`
#    would, **without calling `sum()`** (the checks switch `Tensor.sum` and `torch.sum` off while
#    it runs).

# %%
import torch


# %%
def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one ½ (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


# %%
def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the gradients of the summed 1/2 squared loss with respect to w and b, shaped like w and b.

    The same values that `l.sum().backward()` leaves in w.grad and b.grad: X^T r and sum(r), where
    r = X w + b - y are the residuals.
    """
    ### BEGIN SOLUTION
    l = squared_loss(X @ w + b, y)
    # autograd.grad returns the gradients without touching w.grad and b.grad.
    grad_w, grad_b = torch.autograd.grad(l.sum(), [w, b])
    return grad_w, grad_b
    ### END SOLUTION


# %%
def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return d l_i / d b for each example i, shape (n,); their sum is the b gradient of minibatch_grads.

    For the 1/2 squared loss this is the residual r_i = x_i . w + b - y_i.
    """
    ### BEGIN SOLUTION
    # Give every example its own copy of b: each copy's gradient is that example's contribution,
    # and the shared b's gradient is their sum.
    b_per_example = b.detach().expand(len(X)).clone().requires_grad_()
    l = squared_loss(X @ w + b_per_example.reshape(-1, 1), y)
    (grads,) = torch.autograd.grad(l.sum(), b_per_example)
    return grads
    ### END SOLUTION


# %%
def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """Update each parameter in place, p <- p - lr * p.grad / batch_size, unrecorded by autograd, then clear p.grad.

    .grad holds the gradient of the loss SUMMED over the batch, hence the division. The
    parameters stay the same tensor objects.
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
    ### END SOLUTION


# %%
def backward_vector_loss(l: torch.Tensor) -> None:
    """Fill the parameters' .grad exactly as l.sum().backward() would, without calling sum().

    l is the per-example loss of shape (n, 1). Hint: backward of a non-scalar needs the vector
    in the vector-Jacobian product.
    """
    ### BEGIN SOLUTION
    # The vector-Jacobian product with a vector of ones is the gradient of the sum.
    l.backward(torch.ones_like(l))
    ### END SOLUTION
