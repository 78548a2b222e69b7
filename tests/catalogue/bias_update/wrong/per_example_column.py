"""per_example_b_grads returns the residuals as an (n, 1) column instead of shape (n,).

The residual X @ w + b - y is a column; the learner forgot to flatten it.
"""

# expect: test_per_example_b_grads -> per_example_shape

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
    with torch.no_grad():
        return X @ w + b - y


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(torch.ones_like(l))
