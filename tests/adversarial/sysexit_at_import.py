"""Family: early exit at import (SystemExit(0)). Hides: the unfilled stub.

Importing the module raises SystemExit(0).
"""

import torch
from torch.nn import functional as F

# hides: stub

raise SystemExit(0)


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    raise NotImplementedError


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    raise NotImplementedError


def builtin_huber_scale(sigma: float) -> float:
    raise NotImplementedError
