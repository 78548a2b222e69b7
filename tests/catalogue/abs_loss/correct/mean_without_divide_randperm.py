"""fit averages each minibatch (.mean()) and then steps by lr times .grad, without sgd's division: the same steps;
its minibatches come from torch.randperm. abs_loss through torch.where, with_outlier through index_fill.

Unusual: mean + no division equals sum + division; the shuffle uses torch's generator, not Python's random;
abs_loss's slope at r = 0 is -1 (a valid subgradient).
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
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r > 0, r, -r)


def fit(features, labels, loss_fn, lr=0.03, num_epochs=3, batch_size=10, seed=0):
    """D2L's loop with any elementwise loss, averaged per minibatch."""
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for epoch in range(num_epochs):
        order = torch.randperm(len(features))
        for start in range(0, len(features), batch_size):
            batch = order[start:start + batch_size]
            loss_fn(linreg(features[batch], w, b), labels[batch]).mean().backward()
            with torch.no_grad():
                for param in (w, b):
                    param.sub_(lr * param.grad)
                    param.grad = None
    return w, b


def with_outlier(labels, index=5, value=10000.0):
    """A copy of labels with one label changed."""
    return labels.clone().index_fill_(0, torch.tensor([index]), value)


def robust_losses():
    """The losses that shrug off the outlier."""
    return {"abs", "huber"}
