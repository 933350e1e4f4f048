from tests.app.test_blockchain_onchain import _open, _send, _chain, LearnerChain
from tests.app.test_blockchain_game import _complete_levels
from tests.app.conftest import Seed
import pytest

@pytest.fixture(autouse=True)
def _close() -> object:
    yield
    LearnerChain.close_shared()

def test_exp(seed: Seed) -> None:
    st = seed.student
    _complete_levels(st, 4)
    at = _open(st, "transactions")
    print([w.value for w in at.warning], [e.value for e in at.error], at.header[0].value if at.header else None)
    before = at.session_state["bcq_l5_broken"]
    print("before", before, at.number_input(key="bcq_l5_fix_nonce").value)
    _send(at, "bcq_l5_pay", "0.25", to="shop")
    after = at.session_state["bcq_l5_broken"]
    print("after", after, at.number_input(key="bcq_l5_fix_nonce").value, at.number_input(key="bcq_l5_fix_maxfee").value)
    _send(at, "bcq_l5_fix", "0.1")
    import core.telemetry as t
    ev = t.load_events(st, [st.user_id])
    print(ev[ev.item_id=="fix_failed_tx"][["correct","error_type","payload"]].to_dict("records"))
