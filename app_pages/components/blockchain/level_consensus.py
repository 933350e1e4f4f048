"""Level 7, consensus and attacks on the simulated network of core.blockchain.consensus: a tie
splits the villages and one more block decides (longest chain), then a double spend: how many
confirmations keep a merchant safe, checked against the exact race and a Monte Carlo run, and
why none are enough against a 51% miner."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.class_views import CHART
from app_pages.components.plots import plot
from app_pages.components.session import tr
from core.blockchain.double_spend import double_spend, exact_probability, success_probability
from core.blockchain.quests_onchain import (
    MAJORITY_ANSWERS,
    RISK_TARGET,
    ForkScenario,
    check_confirmations,
    check_fork_choice,
    check_majority,
    staged_fork,
)

FORK = "bcq_l7_fork"
FORK_PRACTICE = "bcq_l7_fork_practice"  # the practice round the fork on the screen is for
SHARES = (0.1, 0.2, 0.3)
MAJORITY_SHARE = 0.55
TRIALS = 500
MAX_Z = 60
COLOURS = {"main": "#0f766e", "stale": "#94a3b8", "new": "#ea580c"}


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.consensus.story"))
    _fork(quest)
    _double_spend(quest)


def _village(node: str) -> str:
    return tr(f"quest.consensus.node.{node}")


def _scenario() -> ForkScenario:
    """The fork on the screen: one per session, a new one per practice round."""
    practice = tk.practice_round("longest_chain")
    if FORK not in st.session_state or st.session_state.get(FORK_PRACTICE) != practice:
        st.session_state[FORK] = staged_fork(tk.task_seed("longest_chain"))
        st.session_state[FORK_PRACTICE] = practice
    found: ForkScenario = st.session_state[FORK]
    return found


def _new_round() -> None:
    st.session_state[FORK] = staged_fork(
        tk.task_seed("longest_chain") + len(st.session_state[FORK].network.blocks)
    )
    tk.state("longest_chain")["outcome"] = None


def _fork(quest: tk.Quest) -> None:
    task_id = "longest_chain"
    with tk.card(quest, task_id, "quest.consensus.fork_title", ":material/call_split:") as done:
        scenario = _scenario()
        network = scenario.network
        st.markdown(tr("quest.consensus.fork_body", finder=_village(scenario.finder)))
        _tree(scenario)
        spread = network.converged()
        options = {
            "a": tr("quest.consensus.follow", branch="A"),
            "b": tr("quest.consensus.follow", branch="B"),
            "split": tr("quest.consensus.stay_split"),
        }
        pick = st.radio(
            tr("quest.consensus.fork_question"),
            list(options),
            index=None,
            format_func=options.__getitem__,
            key=tk.wkey(task_id, "bcq_l7_pick"),
            disabled=done or spread,
        )
        if tk.controls(task_id, disabled=done or spread):
            if pick is None:
                st.warning(tr("quest.pick_first"), icon=":material/touch_app:")
            else:
                outcome = check_fork_choice(scenario, pick)  # type: ignore[arg-type]
                tk.submit(quest, task_id, outcome, {"picked": pick, "finder": scenario.finder})
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        cols = st.columns(2)
        if cols[0].button(
            tr("quest.consensus.spread"),
            key="bcq_l7_spread",
            icon=":material/cell_tower:",
            disabled=spread,
        ):
            network.settle()
            st.rerun()
        cols[1].button(
            tr("quest.consensus.new_round"),
            key="bcq_l7_new",
            icon=":material/refresh:",
            on_click=_new_round,
        )
        if spread:
            stale = len(network.stale_blocks())
            st.success(
                tk.tr_count("quest.consensus.converged", stale, n=stale), icon=":material/merge:"
            )


def _tree(scenario: ForkScenario) -> None:
    """Blocks by height; branch A above, branch B below; villages written under their tip."""
    network = scenario.network
    known_by_others = {b for n in network.nodes if n.name != scenario.finder for b in n.known}
    figure = go.Figure()
    xs: dict[str, float] = {}
    ys: dict[str, float] = {}
    for entry in network.tree():
        block = entry["id"]
        ancestry = set(network.chain(block))
        ys[block] = (
            1.0
            if scenario.tips["a"] in ancestry
            else -1.0
            if scenario.tips["b"] in ancestry
            else 0.0
        )
        xs[block] = entry["height"]
    for entry in network.tree():
        parent = entry["parent"]
        if parent is not None:
            figure.add_scatter(
                x=[xs[parent], xs[entry["id"]]],
                y=[ys[parent], ys[entry["id"]]],
                mode="lines",
                line={"color": "#cbd5e1", "width": 3},
                hoverinfo="skip",
                showlegend=False,
            )
    for entry in network.tree():
        block = entry["id"]
        fresh = block not in known_by_others
        colour = COLOURS["new"] if fresh else COLOURS["main" if entry["on_main_chain"] else "stale"]
        holders = ", ".join(_village(h) for h in entry["holders"])
        miner = _village(entry["miner"]) if entry["miner"] else "—"
        label = "A" if block == scenario.tips["a"] else "B" if block == scenario.tips["b"] else ""
        figure.add_scatter(
            x=[xs[block]],
            y=[ys[block]],
            mode="markers+text",
            marker={
                "size": 34,
                "symbol": "square",
                "color": colour,
                "line": {"width": 2, "color": "#334155" if fresh else colour},
            },
            text=[label or ("★" if fresh else "")],
            textfont={"color": "white", "size": 14},
            hovertext=[f"#{entry['height']} · {block} · {miner}"],
            hoverinfo="text",
            showlegend=False,
        )
        if holders:
            figure.add_annotation(
                x=xs[block],
                y=ys[block] - 0.45,
                text=holders,
                showarrow=False,
                font={"size": 12, "color": "#334155"},
            )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": tr("quest.consensus.height"), "dtick": 1, "range": [-0.5, 3.5]},
        yaxis={"visible": False, "range": [-1.8, 1.6]},
        plot_bgcolor="#f8fafc",
    )
    plot(figure, config=CHART, key="bcq_l7_tree")
    st.caption(tr("quest.consensus.legend"))


def _double_spend(quest: tk.Quest) -> None:
    task_id = "double_spend"
    with tk.card(
        quest, task_id, "quest.consensus.ds_title", ":material/currency_exchange:"
    ) as done:
        # a practice round moves to the next share: a new question, not the answer remembered
        q = SHARES[(tk.session_seed() + tk.practice_round(task_id)) % len(SHARES)]
        st.markdown(
            tr("quest.consensus.ds_body", share=round(100 * q), target=round(100 * RISK_TARGET))
        )
        part = "confirmations"
        part_done = tk.solved(quest, task_id, part)
        cols = st.columns([1, 1], vertical_alignment="bottom")
        z = int(
            cols[0].number_input(
                tr("quest.consensus.confirmations"), 0, MAX_Z, 1, key=tk.wkey(task_id, "bcq_l7_z")
            )
        )
        if cols[1].button(
            tr("quest.check"), key="bcq_l7_z_check", type="primary", disabled=part_done
        ):
            tk.submit(quest, task_id, check_confirmations(q, z), {"share": q, "z": z}, part)
        tk.feedback(task_id, part)
        if part_done or tk.state(task_id, part)["outcome"] is not None:
            _risk_chart(q, z)
            if st.button(
                tr("quest.consensus.simulate", n=TRIALS, z=z),
                key="bcq_l7_sim",
                icon=":material/casino:",
            ):
                with st.spinner(tr("quest.consensus.simulating")):
                    measured = success_probability(q, z, trials=TRIALS, seed=tk.task_seed(task_id))
                st.info(
                    tr(
                        "quest.consensus.simulated",
                        measured=f"{100 * measured:.1f}",
                        exact=f"{100 * exact_probability(q, z):.1f}",
                        n=TRIALS,
                    ),
                    icon=":material/analytics:",
                )
        if part_done:
            _majority(quest)
        tk.hint_button(task_id, disabled=done)
        tk.earlier_note(quest, task_id, done)


def _risk_chart(q: float, z: int) -> None:
    zs = list(range(0, max(z, 12) + 1))
    figure = go.Figure()
    figure.add_scatter(
        x=zs,
        y=[100 * exact_probability(q, n) for n in zs],
        mode="lines+markers",
        name=tr("quest.consensus.risk_curve", share=round(100 * q)),
        line={"color": COLOURS["main"]},
    )
    figure.add_hline(
        y=100 * RISK_TARGET,
        line_dash="dash",
        line_color=COLOURS["new"],
        annotation_text=tr("quest.consensus.target_line"),
    )
    figure.add_scatter(
        x=[z],
        y=[100 * exact_probability(q, z)],
        mode="markers",
        marker={"size": 14, "symbol": "diamond", "color": COLOURS["new"]},
        name=tr("quest.consensus.your_choice"),
    )
    figure.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": tr("quest.consensus.confirmations"), "dtick": 2},
        yaxis={"title": tr("quest.consensus.risk_axis"), "type": "log"},
        legend={"orientation": "h", "y": -0.3},
    )
    plot(figure, config=CHART, key="bcq_l7_risk")


def _majority(quest: tk.Quest) -> None:
    task_id, part = "double_spend", "majority"
    done = tk.solved(quest, task_id, part)
    st.markdown(f"**{tr('quest.consensus.majority_title')}**")
    st.markdown(tr("quest.consensus.majority_body", share=round(100 * MAJORITY_SHARE)))
    tk.choice(
        quest,
        task_id,
        part,
        question=tr("quest.consensus.majority_question"),
        labels={a: tr(f"quest.consensus.majority.{a}") for a in MAJORITY_ANSWERS},
        key="bcq_l7_majority",
        check=check_majority,
    )
    if done and st.button(
        tr("quest.consensus.watch_attack"), key="bcq_l7_attack", icon=":material/play_circle:"
    ):
        result = double_spend(MAJORITY_SHARE, 6, seed=tk.task_seed(task_id))
        # The race since the fork: the honest blocks the secret chain replaced and the secret
        # chain itself (longer, or the villages would not have switched to it).
        st.warning(
            tr(
                "quest.consensus.attack_result",
                honest=result.reorg_depth,
                attacker=result.secret_blocks,
                ticks=result.ticks,
            ),
            icon=":material/gpp_bad:",
        )
