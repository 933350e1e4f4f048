"""Levels 5-7 of the quest page on a real chain: pay, repair, mine the mempool, deploy and use
contracts, and the consensus puzzles. Every check becomes one event with its error type."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.blockchain.chain import LearnerChain, learner_dir
from core.blockchain.progress import ACTIVITY
from core.blockchain.quests import LEVELS
from core.blockchain.quests_onchain import HAT_PRICE_WEI
from core.config import LANGUAGES
from core.i18n import t
from core.telemetry import load_events, record
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean
from tests.app.test_blockchain_game import _complete_levels

PAGE = "app_pages/blockchain_game.py"


@pytest.fixture(autouse=True)
def _close_chains() -> object:
    yield
    LearnerChain.close_shared()


def _open(actor: Actor, level: str, lang: str = "en") -> AppTest:
    at = app_as(actor, lang)
    at.switch_page(PAGE).run()
    at.session_state["bcq_level"] = level
    at.run()
    assert_clean(at)
    return at


def _rows(actor: Actor, item_id: str) -> list[tuple[str, bool, str | None]]:
    events = load_events(actor, [actor.user_id])
    mine = events[(events["activity"] == ACTIVITY) & (events["item_id"] == item_id)]
    return [
        (str(r.skill), bool(r.correct), r.error_type if isinstance(r.error_type, str) else None)
        for r in mine.itertuples(index=False)
    ]


def _send(
    at: AppTest, form: str, amount: str, to: str | None = None, sender: str | None = None
) -> None:
    if sender is not None:
        at.selectbox(key=f"{form}_from").set_value(sender)
    if to is not None:
        at.selectbox(key=f"{form}_to").set_value(to)
    at.text_input(key=f"{form}_amount").set_value(amount)
    at.button(key=f"{form}_send").click().run()
    assert_clean(at)


def _fix_form(at: AppTest) -> str:
    """The repair form's key: it names the problem shown (level_transactions.fix_form_key)."""
    (send,) = [
        str(b.key)
        for b in at.button
        if str(b.key).startswith("bcq_l5_fix") and str(b.key).endswith("_send")
    ]
    return send.removesuffix("_send")


def _chain(actor: Actor) -> LearnerChain:
    return LearnerChain.shared(learner_dir(actor.user_id))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_level_five_renders_in_every_language(seed: Seed, lang: str) -> None:
    at = _open(seed.teacher, "transactions", lang)
    assert at.button(key="bcq_l5_pay_send")
    assert any(m.label.endswith(t("quest.tx.wallet.shop", lang)) for m in at.metric)


def test_level_five_walkthrough(seed: Seed) -> None:
    teacher = seed.teacher
    at = _open(teacher, "transactions")
    _send(at, "bcq_l5_pay", "abc")
    assert [w.value for w in at.warning] == [t("quest.tx.bad_amount", "en")]
    assert _rows(teacher, "send_eth") == []  # a typo is not an answer

    _send(at, "bcq_l5_pay", "0.25", to="friend")
    assert _rows(teacher, "send_eth") == [("chain.transactions", False, "wrong_recipient")]
    _send(at, "bcq_l5_pay", "0,25", to="shop")
    assert _rows(teacher, "send_eth")[-1] == ("chain.transactions", True, None)
    chain = _chain(teacher)
    assert chain.balance("shop") == 100 * 10**18 + HAT_PRICE_WEI  # the first went to friend

    # the buggy wallet's transaction fails as it is, for the reason the page states
    broken = at.session_state["bcq_l5_broken"]
    form = _fix_form(at)
    _send(at, form, "0.1")
    assert _rows(teacher, "fix_failed_tx") == [("chain.gas", False, broken.kind)]
    assert _fix_form(at) == form  # a refused transaction changes nothing: the same problem
    at.number_input(key=f"{form}_nonce").set_value(chain.nonce("me"))
    at.number_input(key=f"{form}_gas").set_value(21_000)
    at.number_input(key=f"{form}_maxfee").set_value(50.0)
    _send(at, form, "0.1")
    assert _rows(teacher, "fix_failed_tx")[-1] == ("chain.gas", True, None)

    at.toggle(key="bcq_l5_manual").set_value(True).run()
    assert not chain.auto_mine
    for sender, to, tip in [("me", "shop", 1.0), ("friend", "shop", 3.0), ("shop", "me", 2.0)]:
        at.number_input(key="bcq_l5_queue_tip").set_value(tip)
        _send(at, "bcq_l5_queue", "0.01", to=to, sender=sender)
    assert len(chain.pending()) == 3
    assert len(at.dataframe) >= 1
    at.button(key="bcq_l5_mine").click().run()
    assert_clean(at)
    assert _rows(teacher, "mine_mempool") == [("chain.transactions", True, None)]
    block = chain.block()
    assert block is not None and block["tx_count"] == 3 and block["miner_name"] == "me"
    tips = [tx["max_priority_fee_per_gas"] for tx in block["transactions"]]
    assert tips == sorted(tips, reverse=True)  # the best tip goes first


def test_switching_back_to_automatic_mining_mines_the_waiting(seed: Seed) -> None:
    at = _open(seed.teacher, "transactions")
    at.toggle(key="bcq_l5_manual").set_value(True).run()
    _send(at, "bcq_l5_queue", "0.5", to="friend")
    chain = _chain(seed.teacher)
    assert len(chain.pending()) == 1
    at.toggle(key="bcq_l5_manual").set_value(False).run()
    assert_clean(at)
    assert chain.pending() == [] and chain.auto_mine


def _events(actor: Actor) -> pd.DataFrame:
    return load_events(actor, [actor.user_id])


def test_level_six_token_and_ballot(seed: Seed) -> None:
    teacher = seed.teacher
    at = _open(teacher, "contracts")
    at.button(key="bcq_l6_token_go").click().run()
    assert_clean(at)
    chain = _chain(teacher)
    assert set(chain.known_contracts()) == {"token"}
    at.selectbox(key="bcq_l6_reward_from").set_value("friend")
    at.button(key="bcq_l6_reward").click().run()
    assert_clean(at)
    assert _rows(teacher, "deploy_token") == [("chain.contracts", False, "not_owner")]
    assert t("quest.error.not_owner", "en") in [e.value.split("\n\n")[-1] for e in at.error]
    at.selectbox(key="bcq_l6_reward_from").set_value("me")
    at.button(key="bcq_l6_reward").click().run()
    assert _rows(teacher, "deploy_token")[-1] == ("chain.contracts", True, None)

    at.text_area(key="bcq_l6_proposals").set_value("only one")
    at.button(key="bcq_l6_ballot_go").click().run()
    assert [w.value for w in at.warning] == [t("quest.contracts.proposals_too_few", "en")]
    at.text_area(key="bcq_l6_proposals").set_value("Charyn\nKolsai")
    at.button(key="bcq_l6_ballot_go").click().run()
    at.selectbox(key="bcq_l6_vote_option").set_value(1)
    at.button(key="bcq_l6_vote").click().run()
    at.button(key="bcq_l6_vote").click().run()  # the contract refuses a second vote
    assert_clean(at)
    assert t("quest.error.voted_twice", "en") in [e.value.split("\n\n")[-1] for e in at.error]
    at.radio(key="bcq_l6_winner").set_value(0)
    at.button(key="bcq_l6_winner_check").click().run()
    shown = " ".join(e.value for e in at.error)
    assert "2" not in shown and "Kolsai" not in shown  # the winner is not given away...
    assert not at.radio(key="bcq_l6_winner").disabled  # ...before the next prediction
    at.radio(key="bcq_l6_winner").set_value(1)
    at.button(key="bcq_l6_winner_check").click().run()
    assert _rows(teacher, "class_ballot") == [
        ("chain.contracts", True, None),
        ("chain.contracts", False, "voted_twice"),
        ("chain.contracts", False, "misread_votes"),
        ("chain.contracts", True, None),
    ]  # vote, the refused second vote (graded), wrong winner, right winner
    events = _events(teacher)
    second_vote = events[events["item_id"] == "class_ballot"].iloc[1]["payload"]
    assert second_vote["part"] == "vote" and second_vote["practice"] is True  # no XP for it


def test_level_six_piggy_bank_heist(seed: Seed) -> None:
    teacher = seed.teacher
    at = _open(teacher, "contracts")
    chain = _chain(teacher)
    at.button(key="bcq_l6_bank_open").click().run()
    bank = chain.known_contracts()["bank"]
    assert chain.balance(bank) == 3 * 10**18
    at.radio(key="bcq_l6_bug").set_value("sweep")
    at.button(key="bcq_l6_bug_check").click().run()
    at.radio(key="bcq_l6_bug").set_value("change_owner")
    at.button(key="bcq_l6_bug_check").click().run()
    at.selectbox(key="bcq_l6_fn").set_value("sweep")
    at.button(key="bcq_l6_call").click().run()  # refused: not the owner yet
    at.button(key="bcq_l6_heist_check").click().run()
    at.selectbox(key="bcq_l6_fn").set_value("change_owner")
    at.button(key="bcq_l6_call").click().run()
    at.selectbox(key="bcq_l6_fn").set_value("sweep")
    at.button(key="bcq_l6_call").click().run()
    at.button(key="bcq_l6_heist_check").click().run()
    assert chain.balance(bank) == 0
    at.radio(key="bcq_l6_fix").set_value("not_self")
    at.button(key="bcq_l6_fix_check").click().run()
    at.radio(key="bcq_l6_fix").set_value("owner_check")
    at.button(key="bcq_l6_fix_check").click().run()
    assert_clean(at)
    assert [e for _, _, e in _rows(teacher, "exploit_bank")] == [
        "blamed_guarded_function",
        None,
        "not_owner_yet",
        None,
        "fix_bypassable",
        None,
    ]
    assert "bank_fixed" in chain.known_contracts()
    assert t("quest.bank.fixed_holds", "en") in [s.value for s in at.success]


def test_level_seven_fork_and_double_spend(seed: Seed) -> None:
    teacher = seed.teacher
    at = _open(teacher, "consensus")
    scenario = at.session_state["bcq_l7_fork"]
    assert not scenario.network.converged()
    at.radio(key="bcq_l7_pick").set_value("split")
    at.button(key="bcq_longest_chain_check").click().run()
    at.button(key="bcq_l7_spread").click().run()
    assert_clean(at)
    assert at.session_state["bcq_l7_fork"].network.converged()
    at.button(key="bcq_l7_new").click().run()
    truth = (
        "a"
        if at.session_state["bcq_l7_fork"].tips["a"]
        in at.session_state["bcq_l7_fork"].network.chain(at.session_state["bcq_l7_fork"].extended)
        else "b"
    )
    at.radio(key="bcq_l7_pick").set_value(truth)
    at.button(key="bcq_longest_chain_check").click().run()
    assert [r[1:] for r in _rows(teacher, "longest_chain")] == [
        (False, "forks_persist"),
        (True, None),
    ]

    at.number_input(key="bcq_l7_z").set_value(0)
    at.button(key="bcq_l7_z_check").click().run()
    at.number_input(key="bcq_l7_z").set_value(40)
    at.button(key="bcq_l7_z_check").click().run()
    at.button(key="bcq_l7_sim").click().run()
    assert_clean(at)
    at.radio(key="bcq_l7_majority").set_value("sixty")
    at.button(key="bcq_l7_majority_check").click().run()
    at.radio(key="bcq_l7_majority").set_value("none")
    at.button(key="bcq_l7_majority_check").click().run()
    at.button(key="bcq_l7_attack").click().run()
    assert_clean(at)
    assert [r[1:] for r in _rows(teacher, "double_spend")] == [
        (False, "too_few_confirmations"),
        (True, None),
        (False, "confirmations_stop_majority"),
        (True, None),
    ]
    assert len(at.warning) == 1  # the 51% attack's story


def test_results_show_weak_concepts_to_the_student_and_the_teacher(seed: Seed) -> None:
    at = _open(seed.student, "hashing")
    assert t("quest.results.empty", "en") in [c.value for c in at.caption]
    teacher = _open(seed.teacher, "transactions")
    _send(teacher, "bcq_l5_pay", "5", to="shop")  # wrong amount
    _send(teacher, "bcq_l5_pay", "7", to="shop")
    teacher.run()
    assert teacher.button(key="bcq_practise_chain.transactions")
    for _ in range(3):
        event = f.event(seed.student, activity=ACTIVITY, item_id="fix_failed_tx", skill="chain.gas",
                        correct=False, error_type="nonce_reused", payload={})  # fmt: skip
        record(seed.student, event)
    dash = app_as(seed.teacher, "en")
    dash.switch_page("app_pages/teacher_dashboard.py").run()
    assert_clean(dash)
    quest_table = next(d.value for d in dash.dataframe if "top_error" in d.value.columns)
    row = quest_table[quest_table["student"] == seed.student.display_name].iloc[0]
    assert row["weak"] == t("skills.chain.gas", "en")
    assert row["top_error"] == t("misconceptions.nonce_reused", "en")


# --- regression tests: the classroom run --------------------------------------------------------


def test_the_repair_form_follows_the_problem_it_shows(seed: Seed) -> None:
    """The classroom case: the buggy wallet sent a nonce from the future (2); after two other
    payments 2 is the right nonce, and the problem is recomputed (nonce 1, reused). A form that
    kept its widgets still shows 2 in a browser (Streamlit keeps a widget's value on the page
    while its key stays), and sending it untouched "fixed" a repair nobody made. Keyed by the
    problem, the form shows the new problem's values and fails for the new reason."""
    student = seed.student
    _complete_levels(student, 4)
    at = _open(student, "transactions")
    at.session_state["bcq_seed"] = 3000  # the nonce mistake (3000 % 3 == 0)
    at.run()
    first = at.session_state["bcq_l5_broken"]
    assert (first.kind, first.nonce) == ("nonce_too_high", 2)  # nothing sent yet
    form = _fix_form(at)
    shown = at.number_input(key=f"{form}_nonce").value
    _send(at, "bcq_l5_pay", "0.25", to="shop")
    _send(at, "bcq_l5_pay", "0.01", to="friend")
    now = at.session_state["bcq_l5_broken"]
    assert (now.kind, now.nonce) == ("nonce_reused", 1)
    if _fix_form(at) == form:  # the same widgets: the browser still shows and sends 2
        at.number_input(key=f"{form}_nonce").set_value(shown)
    form = _fix_form(at)
    assert at.number_input(key=f"{form}_nonce").value == now.nonce
    assert at.number_input(key=f"{form}_gas").value == now.gas
    assert at.number_input(key=f"{form}_maxfee").value == pytest.approx(now.max_fee_wei / 10**9)
    _send(at, form, "0.1")
    assert _rows(student, "fix_failed_tx") == [("chain.gas", False, "nonce_reused")]


def test_the_bank_shows_its_new_owner_after_change_owner(seed: Seed) -> None:
    teacher = seed.teacher
    at = _open(teacher, "contracts")
    at.button(key="bcq_l6_bank_open").click().run()
    owner = next(m for m in at.metric if m.label == t("quest.bank.owner", "en"))
    assert owner.value == t("quest.tx.wallet.friend", "en")
    at.radio(key="bcq_l6_bug").set_value("change_owner")
    at.button(key="bcq_l6_bug_check").click().run()
    at.selectbox(key="bcq_l6_fn").set_value("change_owner")
    at.button(key="bcq_l6_call").click().run()
    assert_clean(at)
    owner = next(m for m in at.metric if m.label == t("quest.bank.owner", "en"))
    assert owner.value == t("quest.tx.wallet.me", "en")


def test_the_attack_story_agrees_with_its_numbers(seed: Seed) -> None:
    at = _open(seed.teacher, "consensus")
    at.session_state["bcq_seed"] = 12345  # a run whose totals (18 honest, 12 secret) misled
    at.run()
    at.number_input(key="bcq_l7_z").set_value(40)
    at.button(key="bcq_l7_z_check").click().run()
    at.radio(key="bcq_l7_majority").set_value("none")
    at.button(key="bcq_l7_majority_check").click().run()
    at.button(key="bcq_l7_attack").click().run()
    assert_clean(at)
    story = at.warning[0].value
    honest = int(re.findall(r"mined (\d+) honest blocks", story)[0])
    secret = int(re.findall(r"Mallory mined (\d+) in secret", story)[0])
    assert secret > honest, story  # "her longer chain" must be longer


@pytest.mark.parametrize("session_seed", [2, 3])
def test_a_fork_round_separates_most_villages_from_the_longest_chain(
    seed: Seed, session_seed: int
) -> None:
    at = app_as(seed.teacher, "en")
    at.switch_page(PAGE).run()
    at.session_state["bcq_seed"] = session_seed
    at.session_state["bcq_level"] = "consensus"
    at.run()
    scenario = at.session_state["bcq_l7_fork"]
    network = scenario.network
    longest = "a" if scenario.tips["a"] in network.chain(scenario.extended) else "b"
    most = "a" if longest == "b" else "b"
    holders = sum(1 for n in network.honest_nodes if n.tip == scenario.tips[most])
    assert holders * 2 > len(network.honest_nodes)  # most villages hold the losing branch
    at.radio(key="bcq_l7_pick").set_value(most)
    at.button(key="bcq_longest_chain_check").click().run()
    assert _rows(seed.teacher, "longest_chain") == [
        ("chain.consensus", False, "majority_of_nodes_wins")
    ]


@pytest.mark.parametrize("level", [lv.id for lv in LEVELS])
def test_every_solved_task_can_start_a_practice_round(seed: Seed, level: str) -> None:
    student = seed.student
    _complete_levels(student, len(LEVELS))
    at = _open(student, level)
    if level == "keys":
        at.button(key="bcq_l4_create").click().run()
    for task in next(lv for lv in LEVELS if lv.id == level).tasks:
        at.button(key=f"bcq_{task.id}_practice").click().run()
        assert_clean(at)
        assert at.session_state["bcq_practice"][task.id] == 1
        assert not [b for b in at.button if b.key == f"bcq_{task.id}_practice"]  # round open
    assert t("quest.practice.badge", "en") in " ".join(m.value for m in at.markdown)
