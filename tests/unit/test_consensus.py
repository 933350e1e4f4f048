import math

import pytest

from core.blockchain.consensus import ATTACKER, DOUBLE_SPEND, GENESIS, PAYMENT, Network, Node
from core.blockchain.double_spend import (
    DoubleSpendAttack,
    double_spend,
    exact_probability,
    nakamoto_probability,
    success_probability,
)


def _two_nodes(delay: int = 2) -> Network:
    return Network([Node("a", 1.0, delay=delay), Node("b", 1.0, delay=delay)])


def test_a_node_switches_to_a_longer_fork_and_records_the_reorg_depth() -> None:
    net = _two_nodes()
    net.mine_block("a")  # a: G-a1
    net.mine_block("b")  # b has not heard of a1 yet: G-b1, a fork at height 1
    net.mine_block("b")  # G-b1-b2
    a1, b2 = net.node("a").tip, net.node("b").tip
    assert net.height(a1) == 1
    assert net.height(b2) == 2
    assert net.fork_count() == 1
    net.settle()
    assert net.node("a").tip == net.node("b").tip == b2
    reorgs = [e for e in net.events if e["type"] == "reorg"]
    assert reorgs == [
        {"tick": 2, "type": "reorg", "node": "a", "old_tip": a1, "new_tip": b2, "depth": 1}
    ]
    assert net.stale_blocks() == [a1]
    assert net.orphan_rate() == pytest.approx(1 / 3)


def test_on_a_tie_each_node_keeps_the_block_it_saw_first_until_one_branch_grows() -> None:
    net = _two_nodes()
    net.mine_block("a")
    net.mine_block("b")
    a1, b1 = net.node("a").tip, net.node("b").tip
    net.settle()
    assert (net.node("a").tip, net.node("b").tip) == (a1, b1)
    assert not net.converged()
    net.mine_block("a")
    net.settle()
    assert net.converged()
    assert net.blocks[net.node("b").tip].parent == a1
    assert [e["depth"] for e in net.events if e["type"] == "reorg"] == [1]


def test_without_latency_there_are_no_forks() -> None:
    net = Network.create(latency=0, seed=4)
    net.run(1000)
    assert len(net.blocks) > 50
    assert net.fork_count() == 0
    assert net.orphan_rate() == 0.0
    assert net.converged()
    assert not [e for e in net.events if e["type"] == "reorg"]


@pytest.mark.parametrize("latency", [1, 3])
def test_latency_makes_forks_that_resolve_and_nodes_converge(latency: int) -> None:
    net = Network.create(n_honest=4, latency=latency, seed=7)
    net.run(1500)
    assert net.fork_count() > 0
    assert 0.0 < net.orphan_rate() < 0.5
    assert all(e["depth"] >= 1 for e in net.events if e["type"] == "reorg")
    net.settle()
    for _ in range(200):  # a tie can outlive propagation; the next block breaks it
        if net.converged():
            break
        net.step()
        net.settle()
    assert net.converged()
    tip = net.node("node1").tip
    assert net.main_chain()[-1] == tip
    assert net.main_chain()[0] == GENESIS
    assert all(GENESIS in n.known and tip in n.known for n in net.nodes)


def test_tree_is_drawable() -> None:
    net = Network.create(latency=2, seed=1)
    net.run(400)
    tree = net.tree()
    seen: set[str] = set()
    for entry in tree:
        assert entry["parent"] is None or entry["parent"] in seen  # parents come first
        seen.add(entry["id"])
    assert len(seen) == len(tree) == len(net.blocks)
    holders = [name for entry in tree for name in entry["holders"]]
    assert sorted(holders) == sorted(n.name for n in net.nodes)
    main = [entry["id"] for entry in tree if entry["on_main_chain"]]
    assert main == net.main_chain()
    assert sum(1 for e in tree if not e["on_main_chain"]) == len(net.stale_blocks())


def test_same_seed_same_history_and_different_seed_differs() -> None:
    def history(seed: int) -> tuple[object, ...]:
        net = Network.create(latency=2, attacker_share=0.2, seed=seed)
        net.run(300)
        return (net.tree(), net.events)

    assert history(3) == history(3)
    assert history(3) != history(4)
    assert double_spend(0.3, 2, seed=9) == double_spend(0.3, 2, seed=9)
    assert success_probability(0.3, 2, 50, seed=1) == success_probability(0.3, 2, 50, seed=1)


def test_the_attacker_mines_in_secret_until_he_releases() -> None:
    net = Network.create(n_honest=2, attacker_share=0.6, latency=0, seed=2)
    net.run(300)
    attacker = net.node(ATTACKER)
    secret = [b for b in net.blocks if b not in net.public]
    assert secret
    assert all(net.blocks[b].miner == ATTACKER for b in secret)
    assert all(n.tip != attacker.tip for n in net.honest_nodes)
    assert net.height(attacker.tip) > net.height(net.main_tip())  # 60 % outmines the rest
    events = net.release(ATTACKER)
    assert events[0]["type"] == "released"
    assert all(n.tip == attacker.tip for n in net.honest_nodes)
    assert {e["node"] for e in events if e["type"] == "reorg"} == {"node1", "node2"}


def test_a_double_spend_step_by_step() -> None:
    attack = DoubleSpendAttack.create(0.45, 2, seed=11)
    net = attack.network
    phases = [attack.phase]
    while not attack.done and net.tick < 20_000:
        attack.step()
        if attack.phase != phases[-1]:
            phases.append(attack.phase)
        if attack.phase == "waiting":
            assert net.contains(net.node(ATTACKER).tip, DOUBLE_SPEND)
    assert phases == ["preparing", "waiting", "racing", "succeeded"]
    assert all(net.contains(n.tip, DOUBLE_SPEND) for n in net.honest_nodes)
    assert net.confirmations(PAYMENT) == 0  # the payment is gone from the chain
    assert net.confirmations(DOUBLE_SPEND) >= 1
    assert attack.reorg_depth >= 2  # at least the 2 confirmations were undone
    kinds = [e["type"] for e in net.events]
    assert kinds.index("tx_broadcast") < kinds.index("merchant_accepted")
    assert kinds.index("merchant_accepted") <= kinds.index("released")
    assert kinds[-1] == "double_spend_success"


def test_a_small_attacker_never_beats_six_confirmations() -> None:
    assert success_probability(0.05, 6, trials=300, seed=0) == 0.0
    result = double_spend(0.1, 6, seed=1)
    assert not result.success
    assert result.reorg_depth == 0
    assert result.honest_blocks > result.attacker_blocks


def test_a_majority_attacker_almost_always_succeeds() -> None:
    assert success_probability(0.6, 6, trials=100, seed=0) >= 0.98
    result = double_spend(0.6, 6, seed=0)
    assert result.success
    assert result.reorg_depth >= 6


def test_latency_does_not_break_the_attack() -> None:
    results = [double_spend(0.45, 1, seed=s, latency=2) for s in range(20)]
    assert any(r.success for r in results)
    assert all(r.reorg_depth >= 1 for r in results if r.success)


# Whitepaper, section 11, the tables under "Running some results".
@pytest.mark.parametrize(
    ("q", "z", "expected"),
    [
        (0.1, 0, 1.0),
        (0.1, 1, 0.2045873),
        (0.1, 2, 0.0509779),
        (0.1, 5, 0.0009137),
        (0.1, 10, 0.0000012),
        (0.3, 0, 1.0),
        (0.3, 5, 0.1773523),
        (0.3, 10, 0.0416605),
        (0.3, 50, 0.0000006),
    ],
)
def test_nakamoto_probability_matches_the_whitepaper(q: float, z: int, expected: float) -> None:
    assert nakamoto_probability(q, z) == pytest.approx(expected, abs=5e-8)


def test_majority_catches_up_for_certain() -> None:
    assert nakamoto_probability(0.5, 6) == 1.0
    assert exact_probability(0.6, 6) == 1.0


@pytest.mark.parametrize(("q", "z"), [(0.1, 3), (0.25, 6), (0.3, 10)])
def test_exact_probability_is_grunspan_and_perez_marco(q: float, z: int) -> None:
    p = 1 - q
    closed = 1 - sum((p**z * q**k - q**z * p**k) * math.comb(k + z - 1, k) for k in range(z))
    assert exact_probability(q, z) == pytest.approx(closed, abs=1e-12)


def test_exact_and_poisson_agree_closely_for_few_confirmations() -> None:
    for q in (0.1, 0.3):
        for z in range(7):
            assert abs(exact_probability(q, z) - nakamoto_probability(q, z)) < 0.03


TRIALS = 800


@pytest.mark.parametrize("q", [0.1, 0.3])
@pytest.mark.parametrize("z", [1, 2, 3, 4, 5, 6])
def test_monte_carlo_matches_theory(q: float, z: int) -> None:
    measured = success_probability(q, z, trials=TRIALS, seed=z)
    exact = exact_probability(q, z)
    noise = 4 * math.sqrt(exact * (1 - exact) / TRIALS) + 1 / TRIALS
    assert abs(measured - exact) <= noise
    # the whitepaper's Poisson shortcut is off by the model gap on top of the noise
    gap = abs(exact - nakamoto_probability(q, z))
    assert abs(measured - nakamoto_probability(q, z)) <= noise + gap


def test_without_a_head_start_the_attacker_needs_one_block_more() -> None:
    assert exact_probability(0.3, 0, head_start=0) == pytest.approx(0.3 / 0.7)
    assert exact_probability(0.3, 2, head_start=0) < exact_probability(0.3, 2)
    measured = success_probability(0.3, 2, trials=TRIALS, seed=5, head_start=0)
    exact = exact_probability(0.3, 2, head_start=0)
    assert abs(measured - exact) <= 4 * math.sqrt(exact * (1 - exact) / TRIALS)


def test_zero_confirmations_lose_to_a_prepared_attacker() -> None:
    result = double_spend(0.2, 0, seed=3)
    assert result.success
    assert result.reorg_depth == 0  # the payment never made it into a block


@pytest.mark.parametrize("share", [-0.1, 1.0, 1.5])
def test_shares_outside_zero_to_one_are_refused(share: float) -> None:
    message = r"attacker_share must be in \[0, 1\)"
    with pytest.raises(ValueError, match=message):
        Network.create(attacker_share=share)
    with pytest.raises(ValueError, match=message):
        double_spend(share, 6)
    with pytest.raises(ValueError, match=message):
        success_probability(share, 6, trials=10)
    with pytest.raises(ValueError, match=message):
        nakamoto_probability(share, 6)


def test_negative_confirmations_are_refused() -> None:
    message = "confirmations must be 0 or more"
    with pytest.raises(ValueError, match=message):
        double_spend(0.1, -1)
    with pytest.raises(ValueError, match=message):
        success_probability(0.1, -1, trials=10)
    with pytest.raises(ValueError, match=message):
        nakamoto_probability(0.1, -1)
    with pytest.raises(ValueError, match=message):
        exact_probability(0.1, -1)


def test_other_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="n_honest"):
        Network.create(n_honest=0)
    with pytest.raises(ValueError, match="latency"):
        Network.create(latency=-1)
    with pytest.raises(ValueError, match="trials"):
        success_probability(0.1, 1, trials=0)
    with pytest.raises(ValueError, match="honest node"):
        Network([Node("x", 1.0, honest=False)])


@pytest.mark.parametrize("seed", [0, 12345, 24690, 37035])
def test_a_successful_attack_publishes_the_longer_chain(seed: int) -> None:
    """What the page tells: since the fork the secret chain is longer than the honest blocks it
    replaced (the totals, with blocks mined before the fork, can say the opposite)."""
    result = double_spend(0.55, 6, seed=seed)
    assert result.success
    assert result.secret_blocks > result.reorg_depth >= 6
