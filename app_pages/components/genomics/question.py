"""The genomics steps' predict-then-check card: the shared card bound to genomics' questions."""

from __future__ import annotations

from functools import partial

from app_pages.components import predict_card
from core.genomics.questions import QUESTIONS, judge

BANK = predict_card.Bank("gen", QUESTIONS, judge)
predict = partial(predict_card.predict, BANK)
check = partial(predict_card.check, BANK)
