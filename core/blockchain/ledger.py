"""A teaching ledger in the spirit of Anders Brownworth's blockchain demo.

Each block records the hash it was mined with. Editing a block's data does not change that
record, so the block no longer matches it; and because the next block stores this hash as its
`previous_hash`, re-mining one block breaks the link to the one after it. Students see the whole
chain turn invalid from the edited block on, and repair it by re-mining block after block. Proof
of work here is a nonce search for a hex-zero prefix: post-merge Ethereum has no mining, so this
is where students meet it.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

GENESIS_PREVIOUS = "0" * 64
MAX_DIFFICULTY = 6  # 16**6 ≈ 17 million tries on average: the most a classroom laptop should try


@dataclass
class Block:
    index: int
    data: str
    previous_hash: str
    difficulty: int
    nonce: int = 0
    hash: str = ""

    def compute_hash(self) -> str:
        text = f"{self.index}|{self.previous_hash}|{self.nonce}|{self.data}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def meets_difficulty(self) -> bool:
        return self.hash.startswith("0" * self.difficulty)


@dataclass(frozen=True)
class MineResult:
    index: int
    nonce: int
    hash: str
    attempts: int
    seconds: float
    expected_attempts: int


def expected_attempts(difficulty: int) -> int:
    """Each hex digit is zero with probability 1/16, so a d-zero prefix takes 16**d tries."""
    return int(16**difficulty)


def _check_difficulty(difficulty: int) -> None:
    if not 0 <= difficulty <= MAX_DIFFICULTY:
        raise ValueError(f"difficulty must be between 0 and {MAX_DIFFICULTY}")


@dataclass
class Ledger:
    difficulty: int = 2
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_difficulty(self.difficulty)
        if not self.blocks:
            self.add_block("Genesis")

    def add_block(self, data: str) -> Block:
        """Append a block linked to the current tip and mine it at the ledger's difficulty."""
        previous = self.blocks[-1].hash if self.blocks else GENESIS_PREVIOUS
        block = Block(len(self.blocks), data, previous, self.difficulty)
        self.blocks.append(block)
        self.mine(block.index, self.difficulty)
        return block

    def edit(self, index: int, data: str) -> None:
        """Change a block's data, as a tamperer would: its recorded hash stays the old one."""
        self.blocks[index].data = data

    def mine(self, index: int, difficulty: int | None = None) -> MineResult:
        """Search the nonce that gives block `index` a hash with `difficulty` leading zeros,
        record it, and point the next block at the new hash (which that block must then match
        by being re-mined in turn)."""
        difficulty = self.difficulty if difficulty is None else difficulty
        _check_difficulty(difficulty)
        block = self.blocks[index]
        if index > 0:
            block.previous_hash = self.blocks[index - 1].hash
        block.difficulty = difficulty
        target = "0" * difficulty
        start = time.perf_counter()
        nonce = 0
        digest = ""
        while True:
            block.nonce = nonce
            digest = block.compute_hash()
            if digest.startswith(target):
                break
            nonce += 1
        block.hash = digest
        if index + 1 < len(self.blocks):
            self.blocks[index + 1].previous_hash = digest
        return MineResult(
            index,
            nonce,
            digest,
            nonce + 1,
            time.perf_counter() - start,
            expected_attempts(difficulty),
        )

    def block_problem(self, index: int) -> str | None:
        """Why block `index` is invalid (a code for a translated message), or None."""
        block = self.blocks[index]
        if block.compute_hash() != block.hash:
            return "hash_mismatch"
        if not block.meets_difficulty():
            return "difficulty_not_met"
        expected_previous = self.blocks[index - 1].hash if index else GENESIS_PREVIOUS
        if block.previous_hash != expected_previous:
            return "broken_link"
        return None

    def validate(self) -> int | None:
        """Index of the first invalid block, or None when the whole chain is valid."""
        return next((i for i in range(len(self.blocks)) if self.block_problem(i)), None)
