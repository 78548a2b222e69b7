"""Fresh random inputs for the checks: one stream per named purpose, derived from the run's seed.

A check never offsets the seed by hand (`seed + 51`): it says what the numbers are for,
`generator(seed, "hidden size")`, and gets a stream no other purpose shares. The same seed and
purpose always give the same numbers, so `--check-seed N` replays every input of a run.
"""

from __future__ import annotations

import hashlib
import random

import torch


def derived_seed(seed: int, purpose: str) -> int:
    """A seed in [0, 2**31) for one purpose, from the run's seed."""
    digest = hashlib.blake2b(f"{seed}/{purpose}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % 2**31


def generator(seed: int, purpose: str) -> torch.Generator:
    """A torch generator for one purpose, from the run's seed."""
    return torch.Generator().manual_seed(derived_seed(seed, purpose))


def rng(seed: int, purpose: str) -> random.Random:
    """A Python random number generator for one purpose, from the run's seed."""
    return random.Random(derived_seed(seed, purpose))


def fresh_int(seed: int, purpose: str, low: int, high: int) -> int:
    """An integer in [low, high) for one purpose, from the run's seed."""
    return int(torch.randint(low, high, (1,), generator=generator(seed, purpose)).item())
