"""The vision lab's predict-then-check card: the shared card bound to the vision questions."""

from __future__ import annotations

from functools import partial

from app_pages.components import predict_card
from core.vision.questions import QUESTIONS, judge

BANK = predict_card.Bank("vision", QUESTIONS, judge)
predict = partial(predict_card.predict, BANK)
check = partial(predict_card.check, BANK)
