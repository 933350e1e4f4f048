"""The vision lab's predict-then-check questions. Right answers come from the learner's own
runs (benchmark rows, face distances, palm-vein error rates); only the privacy question is about
how Zerde itself is built."""

from __future__ import annotations

from collections.abc import Sequence

from core.questions import Question, Verdict, question
from core.questions import judge as judge_question
from core.vision.face_experiments import ConditionResult
from core.vision.pose_bench import BenchRow

QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        question("resolution", "vision.pose", much_lower="pixels_drive_cost",
                 slightly_lower="resize_cost_misjudged", same="resize_cost_ignored"),
        question("crowd_count", "vision.pose", all="single_person_model_overrated",
                 one="crowd_count_misjudged", none="detector_underrated"),
        question("fitness", "vision.tradeoffs", mediapipe="speed_misjudged",
                 yolo_n="speed_misjudged", yolo_x="bigger_is_better"),
        question("crowd_model", "vision.tradeoffs", mediapipe="single_person_model_overrated",
                 yolo="crowd_model_misjudged"),
        question("dark_face", "vision.face", verified="lighting_ignored",
                 rejected="lighting_misjudged", no_face="detection_step_ignored"),
        question("mask", "vision.face", verified="occlusion_ignored",
                 rejected="occlusion_misjudged", no_face="detection_step_ignored"),
        question("clahe", "vision.preprocessing", closer="preprocessing_misjudged",
                 farther="preprocessing_always_helps", same="preprocessing_misjudged"),
        question("privacy", "vision.privacy", photo="embedding_is_photo",
                 embedding="privacy_misjudged", video="privacy_misjudged",
                 nothing="enrolment_stores_nothing"),
        question("palm_condition", "vision.biometrics", low_light="condition_misjudged",
                 occlusion="condition_misjudged", neither="conditions_ignored"),
    )
}  # fmt: skip
NEAR_FPS = 0.15  # within 15 % counts as "about the same"


def judge(question_id: str, choice: str, truth: Sequence[str]) -> Verdict:
    return judge_question(QUESTIONS[question_id], choice, truth)


def _mean_fps(rows: Sequence[BenchRow], **match: str) -> float | None:
    values = [r.fps for r in rows if all(getattr(r, k) == v for k, v in match.items())]
    return sum(values) / len(values) if values else None


def resolution_truth(rows: Sequence[BenchRow], model: str) -> tuple[str, ...]:
    low = _mean_fps(rows, model=model, resolution="480p")
    high = _mean_fps(rows, model=model, resolution="1080p")
    if low is None or high is None:
        return ()
    drop = 1.0 - high / low
    if drop < NEAR_FPS:
        return ("same",)
    return ("slightly_lower",) if drop < 0.5 else ("much_lower",)


def crowd_count_truth(rows: Sequence[BenchRow], model: str, people: int) -> tuple[str, ...]:
    found = [r.people_mean for r in rows if r.model == model and r.scene == "crowd"]
    if not found:
        return ()
    mean = sum(found) / len(found)
    if mean < 0.5:
        return ("none",)
    return ("all",) if mean >= people - 0.5 else ("one",) if mean < 1.5 else ()


def fitness_truth(rows: Sequence[BenchRow]) -> tuple[str, ...]:
    """One person, fast moves, a phone: the fastest family at 480p wins."""
    families = {"mediapipe": "mediapipe-full", "yolo_n": "yolov8n-pose", "yolo_x": "yolov8x-pose"}
    speeds = {k: _mean_fps(rows, model=m, resolution="480p") for k, m in families.items()}
    known = {k: v for k, v in speeds.items() if v is not None}
    return (max(known, key=known.__getitem__),) if known else ()


def crowd_model_truth(rows: Sequence[BenchRow]) -> tuple[str, ...]:
    """MediaPipe Pose tracks one person by design; a detector like YOLO returns everyone."""
    mediapipe = [
        r.people_mean for r in rows if r.model.startswith("mediapipe") and r.scene == "crowd"
    ]
    return ("yolo",) if not mediapipe or max(mediapipe) <= 1.0 else ()


def condition_truth(result: ConditionResult) -> tuple[str, ...]:
    """What happened at the harshest level of the sweep."""
    worst = result.points[-1]
    if not worst.found:
        return ("no_face",)
    return ("verified",) if worst.verified else ("rejected",)


def clahe_truth(plain: float, equalised: float, near: float = 0.005) -> tuple[str, ...]:
    if abs(plain - equalised) < near:
        return ("same",)
    return ("closer",) if equalised < plain else ("farther",)


def palm_truth(normal_eer: float, low_light_eer: float, occluded_eer: float) -> tuple[str, ...]:
    near = 0.02
    if low_light_eer - normal_eer < near and occluded_eer - normal_eer < near:
        return ("neither",)
    if abs(low_light_eer - occluded_eer) < near:
        return ("low_light", "occlusion")
    return ("low_light",) if low_light_eer > occluded_eer else ("occlusion",)


PRIVACY_TRUTH = ("embedding",)
