"""abs_loss with F.l1_loss(reduction="none"); fit with torch.optim.SGD at lr / batch_size and set_to_none grads;
with_outlier with torch.where; robust_losses as a list.

Unusual: every function is written otherwise than the reference, and the answer is a list, graded as a set.
"""


import random

import torch
from torch.nn import functional as F

from course_checks.probes.d2l import data_iter, linreg, sgd, squared_loss


def huber_loss(y_hat, y):
    """D2L's Huber loss with sigma = 1 (given)."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=1.0, reduction="none")


def abs_loss(y_hat, y):
    """The absolute loss, elementwise."""
    return F.l1_loss(y_hat, y.reshape(y_hat.shape), reduction="none")


def fit(features, labels, loss_fn, lr=0.03, num_epochs=3, batch_size=10, seed=0):
    """D2L's loop with any elementwise loss, torch's own SGD doing the update."""
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr / batch_size)
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            optimizer.zero_grad()
            loss_fn(linreg(X, w, b), y).sum().backward()
            optimizer.step()
    return w.detach(), b.detach()


def with_outlier(labels, index=5, value=10000.0):
    """A copy of labels with one label changed."""
    position = torch.arange(len(labels)).reshape((-1,) + (1,) * (labels.dim() - 1))
    return torch.where(position == index, torch.tensor(value, dtype=labels.dtype), labels)


def robust_losses():
    """The losses that shrug off the outlier."""
    return ["huber", "abs"]
