"""Level 1: hash functions. SHA-256 (Bitcoin, our teaching ledger) and Keccak-256 (Ethereum
addresses, transaction ids), the avalanche effect, and a prefix puzzle that is proof of work in
miniature."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

Algorithm = Literal["sha256", "keccak256"]
MAX_PREFIX = 5  # hex digits; 16**5 ≈ 1 million tries on average, seconds on a laptop


def digest(text: str, algorithm: Algorithm = "sha256") -> str:
    data = text.encode("utf-8")
    if algorithm == "sha256":
        return hashlib.sha256(data).hexdigest()
    # Ethereum's Keccak-256 is not hashlib's sha3_256 (different padding), hence eth_hash.
    from eth_hash.auto import keccak

    return bytes(keccak(data)).hex()


@dataclass(frozen=True)
class Avalanche:
    first: str
    second: str
    bits_changed: int
    total_bits: int

    @property
    def share(self) -> float:
        return self.bits_changed / self.total_bits


def avalanche(a: str, b: str, algorithm: Algorithm = "sha256") -> Avalanche:
    """How many output bits differ between two inputs: about half, even for a one-letter change."""
    first, second = digest(a, algorithm), digest(b, algorithm)
    changed = bin(int(first, 16) ^ int(second, 16)).count("1")
    return Avalanche(first, second, changed, len(first) * 4)


def check_prefix(prefix: str) -> str:
    cleaned = prefix.strip().lower()
    if (
        not cleaned
        or len(cleaned) > MAX_PREFIX
        or any(c not in "0123456789abcdef" for c in cleaned)
    ):
        raise ValueError(f"prefix must be 1-{MAX_PREFIX} hex digits")
    return cleaned


def solves(text: str, prefix: str, algorithm: Algorithm = "sha256") -> bool:
    return digest(text, algorithm).startswith(check_prefix(prefix))


def search(base: str, prefix: str, algorithm: Algorithm = "sha256", limit: int = 5_000_000) -> str:
    """The computer's way: try base + "0", base + "1", ... until the digest has the prefix."""
    target = check_prefix(prefix)
    for n in range(limit):
        candidate = f"{base}{n}"
        if digest(candidate, algorithm).startswith(target):
            return candidate
    raise RuntimeError(f"no solution within {limit} tries")
