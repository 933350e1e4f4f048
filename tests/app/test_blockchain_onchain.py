"""Levels 5-7 of the quest page on a real chain: pay, repair, mine the mempool, deploy and use
contracts, and the consensus puzzles. Every check becomes one event with its error type."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.blockchain.chain import LearnerChain, learner_dir
from core.blockchain.progress import ACTIVITY
from core.blockchain.quests_onchain import HAT_PRICE_WEI
from core.config import LANGUAGES
from core.i18n import t
from core.telemetry import load_events, record
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean

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
    _send(at, "bcq_l5_fix", "0.1")
    assert _rows(teacher, "fix_failed_tx") == [("chain.gas", False, broken.kind)]
    at.number_input(key="bcq_l5_fix_nonce").set_value(chain.nonce("me"))
    at.number_input(key="bcq_l5_fix_gas").set_value(21_000)
    at.number_input(key="bcq_l5_fix_maxfee").set_value(50.0)
    _send(at, "bcq_l5_fix", "0.1")
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
    at.radio(key="bcq_l6_winner").set_value(0)
    at.button(key="bcq_l6_winner_check").click().run()
    at.radio(key="bcq_l6_winner").set_value(1)
    at.button(key="bcq_l6_winner_check").click().run()
    assert _rows(teacher, "class_ballot") == [
        ("chain.contracts", True, None),
        ("chain.contracts", False, "misread_votes"),
        ("chain.contracts", True, None),
    ]  # vote, wrong winner, right winner (the refused second vote was not a task answer)


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
