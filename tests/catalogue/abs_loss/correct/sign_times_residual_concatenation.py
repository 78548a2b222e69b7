"""abs_loss as sign(r) * r; with_outlier by concatenating the pieces around the outlier; robust_losses a frozenset;
fit keeps w and b as nn.Parameter and updates them with p.data.

Unusual: sign(r) * r has slope 0 at r = 0 for another reason (sign's slope is 0); the copy is built, never
cloned; parameters are nn.Parameter.
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
    return torch.sign(r) * r


def fit(features, labels, loss_fn, lr=0.03, num_epochs=3, batch_size=10, seed=0):
    """D2L's loop with any elementwise loss."""
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.nn.Parameter(torch.normal(0, 0.01, size=(features.shape[1], 1)))
    b = torch.nn.Parameter(torch.zeros(1))
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            loss_fn(linreg(X, w, b), y).sum().backward()
            for param in (w, b):
                param.data -= lr * param.grad / batch_size
                param.grad.zero_()
    return w, b


def with_outlier(labels, index=5, value=10000.0):
    """A copy of labels with one label changed."""
    index = index % len(labels)
    outlier = torch.full_like(labels[index:index + 1], value)
    return torch.cat([labels[:index], outlier, labels[index + 1:]])


def robust_losses():
    """The losses that shrug off the outlier."""
    return frozenset(("abs", "huber"))
