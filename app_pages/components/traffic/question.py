"""The traffic lab's predict-then-run card: the shared card bound to the traffic questions."""

from __future__ import annotations

from functools import partial

from app_pages.components import predict_card
from core.traffic.questions import QUESTIONS, judge

BANK = predict_card.Bank("traffic", QUESTIONS, judge)
predict = partial(predict_card.predict, BANK)
check = partial(predict_card.check, BANK)
