"""fit averages each minibatch's losses with .mean() before backward, and sgd divides by batch_size again.

Source: exercises-notes.md section 1 (the new edition's loss returns the mean, while the old sgd divides by the
batch size): mixing the two makes every step batch_size times too small.
"""

# expect: test_fit_exact -> mean_and_divide
# expect: test_fit_clean -> does_not_fit
# expect: test_outlier_experiment -> loop_first

import random

import torch
from torch.nn import functional as F

from course_checks.probes.d2l import data_iter, linreg, sgd, squared_loss


def huber_loss(y_hat, y):
    """D2L's Huber loss with sigma = 1 (given)."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=1.0, reduction="none")


def abs_loss(y_hat, y):
    """The absolute loss, elementwise."""
    return (y_hat - y.reshape(y_hat.shape)).abs()


def fit(features, labels, loss_fn, lr=0.03, num_epochs=3, batch_size=10, seed=0):
    """D2L's loop with any elementwise loss."""
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss_fn(linreg(X, w, b), y)
            l.mean().backward()
            sgd([w, b], lr, batch_size)
    return w, b


def with_outlier(labels, index=5, value=10000.0):
    """A copy of labels with one label changed."""
    noisy = labels.clone()
    noisy[index] = value
    return noisy


def robust_losses():
    """The losses that shrug off the outlier."""
    return {"abs", "huber"}
