"""sgd never clears .grad, so gradients accumulate across backward calls.

The first step is right; the second uses the sum of both gradients (a second backward on the
fixture gives [[92], [134]], [42]). In the book's run the loss oscillates ([19, 32.8, 8.6]).
"""

# expect: test_two_steps -> grads_accumulate
# expect: test_sgd_in_place -> grads_accumulate

import torch


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    l = squared_loss(X @ w + b, y)
    grad_w, grad_b = torch.autograd.grad(l.sum(), [w, b])
    return grad_w, grad_b


def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    b_per_example = b.detach().expand(len(X)).clone().requires_grad_()
    l = squared_loss(X @ w + b_per_example.reshape(-1, 1), y)
    (grads,) = torch.autograd.grad(l.sum(), b_per_example)
    return grads


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(torch.ones_like(l))
