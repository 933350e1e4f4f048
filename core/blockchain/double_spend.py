"""Level 7, the attack: a double spend raced by a secret chain, its Monte Carlo success rate,
and the two formulas it is checked against (the Bitcoin whitepaper's section 11 and the exact
race). Uses the network of core.blockchain.consensus."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from core.blockchain.consensus import (
    ATTACKER,
    DOUBLE_SPEND,
    GIVE_UP_CHANCE,
    PAYMENT,
    Event,
    EventType,
    Network,
    Phase,
    check_confirmations,
    check_share,
    make_nodes,
)


@dataclass(frozen=True)
class DoubleSpendResult:
    success: bool
    ticks: int
    attacker_blocks: int  # blocks the attacker mined, kept or abandoned
    honest_blocks: int  # every honest block, before and after the fork
    reorg_depth: int  # honest blocks thrown away when the network switched to the secret chain
    # The race itself: the attacker's secret chain from the fork to his tip. On a success it is
    # longer than the honest blocks it replaced (reorg_depth): the longest chain won.
    secret_blocks: int = 0


def _give_up_behind(attacker_share: float) -> int:
    """How far behind a rational attacker still races: from d blocks behind he catches up with
    probability (q/p)**(d+1), so past the point where that is below GIVE_UP_CHANCE he stops.
    With half the hash power or more he never has to."""
    q = attacker_share
    if q >= 0.5:
        return 1 << 62
    if q == 0.0:
        return 0
    return max(0, math.ceil(math.log(GIVE_UP_CHANCE) / math.log(q / (1.0 - q))) - 1)


@dataclass
class DoubleSpendAttack:
    """The attack of section 11 of the whitepaper, step by step.

    preparing: the attacker secretly mines a chain holding DOUBLE_SPEND and restarts on the
    public tip whenever the honest chain moves, until he is `head_start` blocks ahead. Only then
    does he pay the merchant. The whitepaper counts catching up (a tie) as a win, but with
    first-seen tie breaking a tie changes nothing; one block mined in advance makes "strictly
    longer" mean exactly the whitepaper's "caught up" (the "pre-mining" of Rosenfeld's analysis).
    waiting: honest nodes put PAYMENT in a block; the merchant's node counts confirmations.
    racing: the merchant has handed over the goods; the attacker publishes as soon as his chain
    is strictly longer than the public one, and the honest nodes reorg onto it, erasing PAYMENT.
    He gives up when hopelessly behind (see `_give_up_behind`).
    """

    network: Network
    confirmations: int
    head_start: int = 1
    give_up_behind: int = 0
    phase: Phase = "preparing"
    reorg_depth: int = 0
    fork: str = ""  # where the secret chain leaves the public one
    merchant: str = ""

    @classmethod
    def create(
        cls,
        attacker_share: float,
        confirmations: int,
        *,
        n_honest: int = 4,
        latency: int = 0,
        seed: int = 0,
        head_start: int = 1,
        block_interval: int = 10,
    ) -> DoubleSpendAttack:
        check_share(attacker_share)
        check_confirmations(confirmations)
        if head_start < 0:
            raise ValueError(f"head_start must be 0 or more, got {head_start}")
        nodes = make_nodes(n_honest, attacker_share, latency, attacker=True)
        network = Network(nodes, seed=seed, block_interval=block_interval)
        network.conflicts = {PAYMENT: DOUBLE_SPEND, DOUBLE_SPEND: PAYMENT}
        network.node(ATTACKER).pending.append(DOUBLE_SPEND)
        attack = cls(
            network,
            confirmations,
            head_start,
            _give_up_behind(attacker_share),
            fork=network.genesis,
            merchant=network.honest_nodes[0].name,
        )
        attack._react([])
        return attack

    @property
    def done(self) -> bool:
        return self.phase in ("succeeded", "failed")

    def step(self) -> list[Event]:
        if self.done:
            return []
        events = self.network.step()
        return events + self._react(events)

    def run(self, max_ticks: int) -> DoubleSpendResult:
        """Play until the attack succeeds or fails, skipping quiet ticks; at `max_ticks` it
        counts as failed (the goods are long gone and the attacker has given up)."""
        network = self.network
        while not self.done:
            if network.next_event_tick() > max_ticks:
                network.tick = max(network.tick, max_ticks)
                self._finish("failed")
                break
            self._react(network.advance())
        return self.result()

    def result(self) -> DoubleSpendResult:
        network = self.network
        by_attacker = sum(1 for b in network.blocks.values() if b.miner == ATTACKER)
        secret = network.height(network.node(ATTACKER).tip) - network.height(self.fork)
        return DoubleSpendResult(
            self.phase == "succeeded",
            network.tick,
            by_attacker,
            len(network.blocks) - 1 - by_attacker,
            self.reorg_depth,
            max(0, secret),
        )

    def _finish(self, phase: Phase) -> list[Event]:
        self.phase = phase
        kind: EventType = "double_spend_success" if phase == "succeeded" else "attack_failed"
        event = Event(tick=self.network.tick, type=kind, node=ATTACKER)
        if phase == "succeeded":
            event["depth"] = self.reorg_depth
        self.network.events.append(event)
        return [event]

    def _react(self, events: list[Event]) -> list[Event]:
        """The attacker's and the merchant's decisions after a tick."""
        if self.network.node(ATTACKER).hash_power == 0:
            return self._finish("failed")
        out: list[Event] = []
        if self.phase == "preparing":
            out += self._prepare()
        if self.phase == "waiting":
            out += self._wait()
        if self.phase == "racing":
            out += self._race(events)
        if self.phase in ("waiting", "racing"):
            network = self.network
            attacker = network.node(ATTACKER)
            behind = network.height(attacker.best_public) - network.height(attacker.tip)
            if behind > self.give_up_behind:
                out += self._finish("failed")
        return out

    def _prepare(self) -> list[Event]:
        network = self.network
        attacker = network.node(ATTACKER)
        out: list[Event] = []
        if network.height(attacker.best_public) > network.height(self.fork):
            out += network.adopt(ATTACKER, attacker.best_public)
            self.fork = attacker.best_public
        if network.height(attacker.tip) - network.height(self.fork) >= self.head_start:
            out += network.broadcast_tx(PAYMENT)
            self.phase = "waiting"
        return out

    def _wait(self) -> list[Event]:
        network = self.network
        if network.confirmations(PAYMENT, self.merchant) < self.confirmations:
            return []
        self.phase = "racing"
        accepted = Event(tick=network.tick, type="merchant_accepted", tx=PAYMENT)
        network.events.append(accepted)
        return [accepted]

    def _race(self, events: list[Event]) -> list[Event]:
        network = self.network
        attacker = network.node(ATTACKER)
        out: list[Event] = []
        ahead = network.height(attacker.tip) > network.height(attacker.best_public)
        if attacker.withheld and ahead:
            out += network.release(ATTACKER)
        for event in events + out:
            if event["type"] == "reorg" and network.contains(event["new_tip"], DOUBLE_SPEND):
                self.reorg_depth = max(self.reorg_depth, event["depth"])
        if all(network.contains(n.tip, DOUBLE_SPEND) for n in network.honest_nodes):
            out += self._finish("succeeded")
        return out


def double_spend(
    attacker_share: float,
    confirmations: int,
    max_ticks: int = 100_000,
    seed: int = 0,
    *,
    n_honest: int = 4,
    latency: int = 0,
    head_start: int = 1,
    block_interval: int = 10,
) -> DoubleSpendResult:
    attack = DoubleSpendAttack.create(
        attacker_share,
        confirmations,
        n_honest=n_honest,
        latency=latency,
        seed=seed,
        head_start=head_start,
        block_interval=block_interval,
    )
    return attack.run(max_ticks)


def _trial_seed(seed: int, trial: int) -> int:
    """Independent-looking seeds per trial, so runs with seeds 0 and 1 share no trials."""
    digest = hashlib.sha256(f"{seed}:{trial}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def success_probability(
    attacker_share: float,
    confirmations: int,
    trials: int = 1000,
    seed: int = 0,
    *,
    n_honest: int = 1,
    latency: int = 0,
    head_start: int = 1,
    max_ticks: int = 100_000,
) -> float:
    """The share of simulated double spends that succeed. One honest node by default: with no
    latency honest nodes never disagree, so four of them play the very same race, slower."""
    check_share(attacker_share)
    check_confirmations(confirmations)
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    wins = sum(
        double_spend(
            attacker_share,
            confirmations,
            max_ticks,
            _trial_seed(seed, trial),
            n_honest=n_honest,
            latency=latency,
            head_start=head_start,
        ).success
        for trial in range(trials)
    )
    return wins / trials


def nakamoto_probability(q: float, z: int) -> float:
    """Section 11 of the whitepaper, as its C code computes it: while the honest chain adds z
    blocks the attacker's progress is taken as Poisson with mean z*q/p, and from k blocks
    behind he catches up with probability (q/p)**k (the gambler's ruin)."""
    check_share(q)
    check_confirmations(z)
    p = 1.0 - q
    if q >= p:
        return 1.0  # a majority catches up for certain
    mean = z * (q / p)
    total = 1.0
    poisson = math.exp(-mean)
    for k in range(z + 1):
        if k:
            poisson *= mean / k
        total -= poisson * (1.0 - (q / p) ** (z - k))
    return total


def exact_probability(q: float, z: int, head_start: int = 1) -> float:
    """The same race without the Poisson shortcut, i.e. what `success_probability` measures.
    While the honest chain mines z blocks the attacker mines k of them with the negative
    binomial probability C(k+z-1, k) p**z q**k, on top of his `head_start`; if that leaves him
    d >= 0 blocks behind he must gain d+1 to be strictly longer, probability (q/p)**(d+1).
    With head_start=1 this is Grunspan and Pérez-Marco's exact form of Nakamoto's number (2017),
    a little higher than the whitepaper's for many confirmations."""
    check_share(q)
    check_confirmations(z)
    if head_start < 0:
        raise ValueError(f"head_start must be 0 or more, got {head_start}")
    p = 1.0 - q
    if q >= p:
        return 1.0
    ratio = q / p
    fail = 0.0
    for k in range(max(0, z - head_start + 1)):
        behind = z - head_start - k
        ways = math.comb(k + z - 1, k) if z else 1
        fail += ways * p**z * q**k * (1.0 - ratio ** (behind + 1))
    return 1.0 - fail
