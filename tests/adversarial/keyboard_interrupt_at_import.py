"""Family: BaseException at import (KeyboardInterrupt). Hides: the unfilled stub.

Importing the module raises KeyboardInterrupt, which the loader's `except (Exception, SystemExit)` does
not catch.
"""

import torch
from torch.nn import functional as F

# hides: stub

raise KeyboardInterrupt


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    raise NotImplementedError


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    raise NotImplementedError


def builtin_huber_scale(sigma: float) -> float:
    raise NotImplementedError
