"""Level 7: consensus and attacks, as a small network students can step through tick by tick.

Nodes mine on the tip they believe in, blocks take `delay` ticks to reach each node, and every
honest node follows the longest chain it knows (on a tie it keeps the block it saw first). That
is enough for forks to appear on their own when blocks cross in flight, and to heal when one
branch pulls ahead. An attacker mines a secret chain and publishes it only when it is longer:
with a minority of the hash power this rarely beats a few confirmations, with a majority it
always does (the "51% attack"). The Monte Carlo rate of successful double spends is compared
with the formula of section 11 of the Bitcoin whitepaper, so students see the theory and the
simulation agree.

Everything is seeded and pure Python: the same seed replays the same history, which the page
animates from `Network.tree()` (the block tree and which node holds which tip) and the event log.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal, NotRequired, TypedDict

ATTACKER = "attacker"
PAYMENT = "attacker->merchant"  # the coin the attacker pays the merchant with...
DOUBLE_SPEND = "attacker->attacker"  # ...and the same coin sent back to himself in secret
GIVE_UP_CHANCE = 1e-4  # an attacker stops racing once his chance to catch up is below this
ID_LENGTH = 8  # hex digits of a block id: short enough to print on a drawn block

EventType = Literal[
    "mined",
    "received",
    "reorg",
    "released",
    "abandoned",
    "tx_broadcast",
    "merchant_accepted",
    "double_spend_success",
    "attack_failed",
]
Phase = Literal["preparing", "waiting", "racing", "succeeded", "failed"]


class Event(TypedDict):
    tick: int
    type: EventType
    node: NotRequired[str]
    block: NotRequired[str]
    height: NotRequired[int]
    public: NotRequired[bool]
    old_tip: NotRequired[str]
    new_tip: NotRequired[str]
    depth: NotRequired[int]
    blocks: NotRequired[int]
    tx: NotRequired[str]


class TreeEntry(TypedDict):
    id: str
    parent: str | None
    height: int
    miner: str
    time: int
    txs: tuple[str, ...]
    public: bool  # False while only the attacker knows it
    on_main_chain: bool
    holders: list[str]  # nodes whose tip this block is


@dataclass(frozen=True)
class SimBlock:
    id: str
    parent: str | None
    height: int
    miner: str
    txs: tuple[str, ...]
    time: int


@dataclass
class Node:
    name: str
    hash_power: float
    honest: bool = True
    delay: int = 0  # ticks a block takes to reach this node
    known: set[str] = field(default_factory=set)
    tip: str = ""
    pending: list[str] = field(default_factory=list)  # transactions it will put in its next block
    withheld: list[str] = field(default_factory=list)  # mined but not yet published
    best_public: str = ""  # the highest published block it knows: the attacker's yardstick


def _block_id(*parts: object) -> str:
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


GENESIS = _block_id("genesis")


def check_share(share: float) -> None:
    if not 0.0 <= share < 1.0:
        raise ValueError(f"attacker_share must be in [0, 1), got {share}")


def check_confirmations(confirmations: int) -> None:
    if confirmations < 0:
        raise ValueError(f"confirmations must be 0 or more, got {confirmations}")


def make_nodes(n_honest: int, attacker_share: float, latency: int, attacker: bool) -> list[Node]:
    check_share(attacker_share)
    if n_honest < 1:
        raise ValueError(f"n_honest must be at least 1, got {n_honest}")
    if latency < 0:
        raise ValueError(f"latency must be 0 or more, got {latency}")
    power = (1.0 - attacker_share) / n_honest
    nodes = [Node(f"node{i}", power, True, latency) for i in range(1, n_honest + 1)]
    if attacker:
        nodes.append(Node(ATTACKER, attacker_share, False, latency))
    return nodes


@dataclass
class Network:
    """A seeded network of miners. Dishonest nodes mine in secret and never switch chains on
    their own: what they publish and when is the attack's decision (`release`, `adopt`)."""

    nodes: list[Node]
    seed: int = 0
    block_interval: int = 10  # ticks per block on average: a tick is Bitcoin's minute
    conflicts: dict[str, str] = field(default_factory=dict)  # tx -> the tx spending the same coin
    tick: int = field(default=0, init=False)
    blocks: dict[str, SimBlock] = field(default_factory=dict, init=False)
    children: dict[str, list[str]] = field(default_factory=dict, init=False)
    public: set[str] = field(default_factory=set, init=False)  # blocks some honest node may see
    events: list[Event] = field(default_factory=list, init=False)
    genesis: str = field(default=GENESIS, init=False)
    _rng: random.Random = field(init=False, repr=False)
    _by_name: dict[str, Node] = field(init=False, repr=False)
    _cumulative: list[float] = field(init=False, repr=False)
    _chain_txs: dict[str, frozenset[str]] = field(init=False, repr=False)
    _queue: list[tuple[int, int, str, str]] = field(init=False, repr=False)
    _sequence: int = field(init=False, repr=False)
    _next_block: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = [n.name for n in self.nodes]
        if len(set(names)) != len(names):
            raise ValueError("node names must be unique")
        if not any(n.honest for n in self.nodes):
            raise ValueError("the network needs at least one honest node")
        if any(n.hash_power < 0 or n.delay < 0 for n in self.nodes):
            raise ValueError("hash power and delay must be 0 or more")
        if sum(n.hash_power for n in self.nodes) <= 0:
            raise ValueError("somebody must have hash power")
        if self.block_interval < 1:
            raise ValueError(f"block_interval must be at least 1, got {self.block_interval}")
        self._rng = random.Random(self.seed)
        self._by_name = {n.name: n for n in self.nodes}
        self._cumulative = list(accumulate(n.hash_power for n in self.nodes))
        genesis = SimBlock(GENESIS, None, 0, "", (), 0)
        self.blocks = {genesis.id: genesis}
        self.children = {genesis.id: []}
        self.public = {genesis.id}
        self._chain_txs = {genesis.id: frozenset()}
        self._queue = []
        self._sequence = 0
        for node in self.nodes:
            node.known = {genesis.id}
            node.tip = node.best_public = genesis.id
            node.withheld = []
        self._next_block = self.tick + self._gap()

    @classmethod
    def create(
        cls,
        n_honest: int = 4,
        attacker_share: float = 0.0,
        latency: int = 1,
        seed: int = 0,
        block_interval: int = 10,
    ) -> Network:
        """Honest nodes share the honest hash power equally; the attacker joins only when he has
        some, so a plain network shows forks without anyone cheating."""
        nodes = make_nodes(n_honest, attacker_share, latency, attacker_share > 0)
        return cls(nodes, seed=seed, block_interval=block_interval)

    # --- time -----------------------------------------------------------------------------

    def _gap(self) -> int:
        """Ticks until the next block: a block is found in a tick with probability
        1/block_interval. Drawing the wait at once (a geometric variable) instead of flipping a
        coin every tick gives the same process but lets `advance` skip quiet ticks."""
        if self.block_interval == 1:
            return 1
        u = 1.0 - self._rng.random()  # in (0, 1], so the log is finite
        return 1 + int(math.log(u) / math.log(1.0 - 1.0 / self.block_interval))

    def step(self, mine: bool = True) -> list[Event]:
        """One tick: maybe one block is found (by a node chosen in proportion to hash power),
        then every block due at this tick arrives. At most one block per tick keeps the model a
        clean race; forks still happen because a block mined at tick t reaches a node with
        delay d only at the end of tick t + d, and others keep mining on the old tip meanwhile.
        With `mine=False` only propagation happens, to watch a network settle."""
        self.tick += 1
        out: list[Event] = []
        if self._next_block <= self.tick:
            if mine:
                self._mine(self._pick_miner(), out)
            self._next_block = self.tick + self._gap()
        self._deliver(out)
        self.events.extend(out)
        return out

    def next_event_tick(self) -> int:
        due = self._next_block
        if self._queue:
            due = min(due, self._queue[0][0])
        return max(due, self.tick + 1)

    def advance(self) -> list[Event]:
        """Jump to the next tick where something happens; the Monte Carlo runs thousands of
        races and the quiet ticks in between change nothing."""
        self.tick = self.next_event_tick() - 1
        return self.step()

    def run(self, ticks: int, mine: bool = True) -> list[Event]:
        out: list[Event] = []
        for _ in range(ticks):
            out.extend(self.step(mine))
        return out

    def settle(self) -> list[Event]:
        """Stop mining and let every block in flight arrive: what the network agrees on once
        nothing is moving (a tie between two branches can survive this; a new block ends it)."""
        out: list[Event] = []
        while self._queue:
            self.tick = max(self.tick, self._queue[0][0] - 1)
            out.extend(self.step(mine=False))
        return out

    def mine_block(self, name: str) -> list[Event]:
        """Let `name` find a block now, outside the random schedule: the page's "you are the
        lucky miner" button, and a way to stage a fork exactly."""
        out: list[Event] = []
        self._mine(self.node(name), out)
        self._deliver(out)
        self.events.extend(out)
        return out

    # --- mining and propagation -----------------------------------------------------------

    def _pick_miner(self) -> Node:
        x = self._rng.random() * self._cumulative[-1]
        return self.nodes[min(bisect_right(self._cumulative, x), len(self.nodes) - 1)]

    def _admissible(self, tx: str, chain: frozenset[str]) -> bool:
        """A transaction goes in a block unless its chain already has it or spends that coin."""
        rival = self.conflicts.get(tx)
        return tx not in chain and (rival is None or rival not in chain)

    def _mine(self, node: Node, out: list[Event]) -> None:
        parent = self.blocks[node.tip]
        chain = self._chain_txs[parent.id]
        txs = tuple(tx for tx in node.pending if self._admissible(tx, chain))
        block_id = _block_id(parent.id, parent.height + 1, node.name, self.tick, *txs)
        while block_id in self.blocks:  # a clash of short ids: rehash rather than overwrite
            block_id = _block_id(block_id)
        block = SimBlock(block_id, parent.id, parent.height + 1, node.name, txs, self.tick)
        self.blocks[block_id] = block
        self.children[block_id] = []
        self.children[parent.id].append(block_id)
        self._chain_txs[block_id] = chain.union(txs) if txs else chain
        node.known.add(block_id)
        node.tip = block_id
        out.append(
            Event(
                tick=self.tick,
                type="mined",
                node=node.name,
                block=block_id,
                height=block.height,
                public=node.honest,
            )
        )
        if node.honest:
            self._broadcast(node, [block_id])
        else:
            node.withheld.append(block_id)

    def _broadcast(self, sender: Node, block_ids: list[str]) -> None:
        for block_id in block_ids:
            self.public.add(block_id)
            if self.blocks[block_id].height > self.blocks[sender.best_public].height:
                sender.best_public = block_id
            for other in self.nodes:
                if other is not sender:
                    self._sequence += 1
                    due = self.tick + other.delay
                    heapq.heappush(self._queue, (due, self._sequence, other.name, block_id))

    def _deliver(self, out: list[Event]) -> None:
        while self._queue and self._queue[0][0] <= self.tick:
            _, _, name, block_id = heapq.heappop(self._queue)
            self._receive(self._by_name[name], block_id, out)

    def _receive(self, node: Node, block_id: str, out: list[Event]) -> None:
        """Learn a block (and any ancestor it lacks, as a real node would request them), then
        apply the longest-chain rule. Strictly longer only: on a tie the first seen stays."""
        missing: list[str] = []
        current: str | None = block_id
        while current is not None and current not in node.known:
            missing.append(current)
            current = self.blocks[current].parent
        for known in reversed(missing):
            node.known.add(known)
            out.append(Event(tick=self.tick, type="received", node=node.name, block=known))
            height = self.blocks[known].height
            if known in self.public and height > self.blocks[node.best_public].height:
                node.best_public = known
        if missing and node.honest and self.height(block_id) > self.height(node.tip):
            self._switch(node, block_id, out)

    def _switch(self, node: Node, new_tip: str, out: list[Event]) -> None:
        old_tip = node.tip
        depth = self.height(old_tip) - self.height(self.common_ancestor(old_tip, new_tip))
        node.tip = new_tip
        if depth > 0:
            out.append(
                Event(
                    tick=self.tick,
                    type="reorg",
                    node=node.name,
                    old_tip=old_tip,
                    new_tip=new_tip,
                    depth=depth,
                )
            )

    # --- what an attack (or the page) may do between ticks --------------------------------

    def release(self, name: str) -> list[Event]:
        """Publish a node's withheld blocks on its current chain. Nodes with no delay get them
        at once, before anyone can mine again."""
        node = self.node(name)
        on_chain = set(self.chain(node.tip))
        block_ids = sorted(
            (b for b in node.withheld if b in on_chain), key=lambda b: self.blocks[b].height
        )
        node.withheld = []
        out: list[Event] = []
        if block_ids:
            out.append(Event(tick=self.tick, type="released", node=name, blocks=len(block_ids)))
            self._broadcast(node, block_ids)
            self._deliver(out)
        self.events.extend(out)
        return out

    def adopt(self, name: str, block_id: str) -> list[Event]:
        """Make a node mine on `block_id`, dropping whatever it was keeping secret."""
        node = self.node(name)
        if block_id not in node.known:
            raise ValueError(f"{name} does not know block {block_id}")
        out: list[Event] = []
        if node.withheld:
            dropped = len(node.withheld)
            out.append(Event(tick=self.tick, type="abandoned", node=name, blocks=dropped))
        node.withheld = []
        node.tip = block_id
        self.events.extend(out)
        return out

    def broadcast_tx(self, tx: str) -> list[Event]:
        """Hand a transaction to every honest node; transactions are small, so they arrive at
        once, and only blocks pay the latency."""
        for node in self.nodes:
            if node.honest and tx not in node.pending:
                node.pending.append(tx)
        out = [Event(tick=self.tick, type="tx_broadcast", tx=tx)]
        self.events.extend(out)
        return out

    # --- reading the state ----------------------------------------------------------------

    def node(self, name: str) -> Node:
        return self._by_name[name]

    @property
    def honest_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.honest]

    def height(self, block_id: str) -> int:
        return self.blocks[block_id].height

    def chain(self, tip: str) -> list[str]:
        """Block ids from genesis to `tip`."""
        ids: list[str] = []
        current: str | None = tip
        while current is not None:
            ids.append(current)
            current = self.blocks[current].parent
        return ids[::-1]

    def common_ancestor(self, a: str, b: str) -> str:
        while self.height(a) > self.height(b):
            a = self.blocks[a].parent or a
        while self.height(b) > self.height(a):
            b = self.blocks[b].parent or b
        while a != b:
            a = self.blocks[a].parent or a
            b = self.blocks[b].parent or b
        return a

    def contains(self, tip: str, tx: str) -> bool:
        return tx in self._chain_txs[tip]

    def main_tip(self) -> str:
        """The honest consensus: the tip most honest nodes hold; a split vote goes to the
        higher block, then the earlier one, so the answer never depends on dict order."""
        votes = Counter(n.tip for n in self.honest_nodes)
        return max(votes, key=lambda b: (votes[b], self.height(b), -self.blocks[b].time, b))

    def main_chain(self) -> list[str]:
        return self.chain(self.main_tip())

    def converged(self) -> bool:
        return len({n.tip for n in self.honest_nodes}) == 1

    def confirmations(self, tx: str, node: str | None = None) -> int:
        """Bitcoin's count: 1 when `tx` is in the tip, +1 per block on top, 0 when absent.
        Seen by `node` (a merchant trusts his own node) or else by the honest majority."""
        tip = self.main_tip() if node is None else self.node(node).tip
        if not self.contains(tip, tx):
            return 0
        block = self.blocks[tip]
        while block.parent is not None and self.contains(block.parent, tx):
            block = self.blocks[block.parent]
        return self.height(tip) - block.height + 1

    def tree(self) -> list[TreeEntry]:
        """Every block ever mined, parents before children, for drawing the tree."""
        main = set(self.main_chain())
        holders: dict[str, list[str]] = {}
        for node in self.nodes:
            holders.setdefault(node.tip, []).append(node.name)
        ordered = sorted(self.blocks.values(), key=lambda b: (b.height, b.time, b.id))
        return [
            TreeEntry(
                id=b.id,
                parent=b.parent,
                height=b.height,
                miner=b.miner,
                time=b.time,
                txs=b.txs,
                public=b.id in self.public,
                on_main_chain=b.id in main,
                holders=holders.get(b.id, []),
            )
            for b in ordered
        ]

    def stale_blocks(self) -> list[str]:
        """Published blocks off the main chain: work the network did and then threw away.
        The attacker's unpublished blocks are not counted; no honest node ever saw them."""
        main = set(self.main_chain())
        return [b for b in self.public if b not in main]

    def fork_count(self) -> int:
        """How many times the published chain split: blocks with two or more published
        children."""
        return sum(
            1 for b in self.public if sum(1 for c in self.children[b] if c in self.public) > 1
        )

    def orphan_rate(self) -> float:
        mined = len(self.public) - 1  # genesis was never mined
        return len(self.stale_blocks()) / mined if mined else 0.0
