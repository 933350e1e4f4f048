import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

from core.accounts import Role
from core.analytics.profiles import PROFILE_FEATURES, PROFILES
from core.analytics.simulate import DEFAULT_SKILLS, GENERIC_ERRORS, MISCONCEPTIONS
from core.blockchain.quests import LEVELS, TASKS
from core.blockchain.quests_onchain import VOCABULARY
from core.challenges import Challenge, error_codes
from core.config import LANGUAGES
from core.i18n import best_language, catalogue, missing_seen, placeholders, raw_keys_in, t
from core.labs import AREAS, LABS
from core.lessons import Lesson
from core.quiz import QUIZ_DIR, load_quiz
from core.rewards import BADGES, badge_key

ROOT = Path(__file__).resolve().parents[2]
AUDIT_ACTIONS = ("delete_student_data", "disable", "enable", "view_student", "load_demo_class")
LITERAL_KEY = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z0-9_.]+)["']\s*[,)]""")
CORE_KEY = re.compile(r"""["'](errors\.[a-z0-9_]+)["']""")


def _sources() -> list[Path]:
    return [ROOT / "app.py", *ROOT.glob("app_pages/**/*.py"), *ROOT.glob("core/**/*.py")]


def _lab_keys(
    activity: str,
    lessons: Iterable[Lesson],
    families: Sequence[str],
    challenges: Mapping[str, Challenge],
) -> set[str]:
    """Keys the shared lesson frame (app_pages/components/lesson_frame.py) builds for one lab."""
    keys = {f"{activity}.lesson.{lesson.id}" for lesson in lessons} | {f"{activity}.lesson_label"}
    if len(families) > 1:
        keys |= {f"{activity}.family.{f}" for f in families} | {f"{activity}.family_label"}
    codes = error_codes(challenges.values())
    keys |= {f"{activity}.feedback.{c}" for c in codes} | {f"misconceptions.{c}" for c in codes}
    keys |= {f"{activity}.challenge.{lesson}" for lesson in challenges}
    keys |= {f"skills.{c.skill}" for c in challenges.values()}
    keys |= {f"{activity}.setup.{k}" for c in challenges.values() for k in c.setup}
    keys |= {f"skills.{item.skill}" for item in load_quiz(activity)}
    return keys


def _ml_keys() -> set[str]:
    """Keys the ML pages build from core's vocabularies (f-strings the regex cannot see)."""
    from app_pages.components.ml.data_picker import ALL_DATASETS
    from core.ml import applications as app
    from core.ml.challenges import CHALLENGES
    from core.ml.datasets import CSV_ERRORS
    from core.ml.hierarchical import LINKAGES
    from core.ml.lessons import ACTIVITY, FAMILIES, LESSONS
    from core.ml.semi_supervised import METHODS
    from core.ml.supervised import CLASSIFIERS, REGRESSORS

    keys = _lab_keys(ACTIVITY, LESSONS, FAMILIES, CHALLENGES)
    keys |= {f"ml.csv.error.{c}" for c in CSV_ERRORS}
    keys |= {f"ml.dataset.{d}" for d in ALL_DATASETS}
    keys |= {f"ml.model.{k}" for k in (*CLASSIFIERS, *REGRESSORS)}
    keys |= {f"ml.linkage.{v}" for v in LINKAGES} | {f"ml.method.{m}" for m in METHODS}
    keys |= {f"ml.task.{t}" for t in ("classification", "regression")}
    keys |= {f"ml.metric.{m}" for m in ("accuracy", "r2")}
    keys |= {f"ml.param.{p}" for p in ("max_depth", "C", "hidden_units")}
    keys |= {f"ml.draw_{w}" for w in ("complexity", "learning")}
    keys |= {f"ml.{m}" for m in ("accuracy", "precision", "recall", "specificity", "f1")}
    keys |= {f"ml.app.metric.{c}" for c in app.METRIC_CODES}
    keys |= {f"ml.app.column.{c}" for c in app.TABLE_COLUMNS}
    keys |= {f"ml.app.feature.{c}" for c in app.TRANSACTION_FEATURES}
    keys |= {f"ml.app.baseline.{app.worked_example(d).baseline}" for d in app.DOMAINS}
    keys |= {f"ml.app.{d}.{part}" for d in app.DOMAINS for part in ("title", "story", "lesson")}
    return keys


def _rl_keys() -> set[str]:
    """Keys the RL pages build from core's vocabularies."""
    from app_pages.components.rl.lesson_applications import DOMAINS, PARTS
    from app_pages.components.rl.lesson_bandit import REFERENCES
    from app_pages.components.rl.lesson_q_learning import TAXI_ACTIONS
    from core.rl.agents import AGENT_ERRORS
    from core.rl.challenges import CHALLENGES
    from core.rl.deep import TASKS as DEEP_TASKS
    from core.rl.gridworld import ACTIONS
    from core.rl.lessons import ACTIVITY, FAMILIES, LESSONS, SKILLS
    from core.rl.q_learning import TABULAR_TASKS

    keys = _lab_keys(ACTIVITY, LESSONS, FAMILIES, CHALLENGES)
    keys |= {f"skills.{s}" for s in SKILLS}
    keys |= {f"rl.task.{t}" for t in (*TABULAR_TASKS, *DEEP_TASKS)}
    keys |= {f"rl.action.{a}" for a in (*ACTIONS, *TAXI_ACTIONS)}
    keys |= {f"rl.outcome.{o}" for o in ("goal", "pit", "timeout")}
    keys |= {f"rl.replay_{o}" for o in ("done", "truncated", "cut")}
    keys |= {f"rl.agent_error.{c}" for c in AGENT_ERRORS}
    keys |= {f"rl.bandit.{name}" for name in REFERENCES}
    keys |= {f"rl.app.{part}" for part in PARTS}
    keys |= {f"rl.app.{d}.{p}" for d in DOMAINS for p in ("title", "story", *PARTS)}
    return keys


def _genomics_keys() -> set[str]:
    """Keys the genomics page builds from core's vocabularies."""
    from app_pages.components.genomics.data import KINDS as SOURCES
    from core.genomics.clustering import METHODS, PROJECTIONS
    from core.genomics.errors import MESSAGES
    from core.genomics.generators import KINDS
    from core.genomics.questions import QUESTIONS, TOP_KMER_ERROR

    keys = {f"gen.error.{code}" for code in MESSAGES} | {f"gen.data.kind.{k}" for k in SOURCES}
    keys |= {f"gen.data.about.{k}" for k in SOURCES} | {f"gen.q.gc.why.{k}" for k in SOURCES}
    keys |= {f"gen.class.{name}" for name in ("background", "promoter", "normal", "tumour")}
    keys |= {f"gen.clu.{m}" for m in (*METHODS, *PROJECTIONS)}
    keys |= {f"gen.model.{m}" for m in ("random_forest", "xgboost", "cnn")}
    keys |= {"misconceptions." + TOP_KMER_ERROR} | {f"skills.{q.skill}" for q in QUESTIONS.values()}
    for q in QUESTIONS.values():
        keys |= {f"gen.q.{q.id}.question", f"gen.q.{q.id}.why"} - {"gen.q.gc.why"}
        keys |= {f"gen.q.{q.id}.{o}" for o in q.options}
        keys |= {f"misconceptions.{e}" for e in q.errors.values()}
    assert set(KINDS) < set(SOURCES)
    return keys


def _vision_keys() -> set[str]:
    """Keys the vision page builds from core's vocabularies."""
    from app_pages.components.vision import TABS, bench_tab, common, face_tab, live_tab, palm_tab
    from core.vision import errors, media, netcam
    from core.vision.face_experiments import CONDITIONS
    from core.vision.live import TASKS
    from core.vision.palm.errors import MESSAGES as PALM
    from core.vision.pose_bench import BenchRow
    from core.vision.questions import QUESTIONS
    from core.vision.scenes import SCENES

    keys = {f"vision.error.{c}" for c in errors.MESSAGES} | {
        f"vision.media.{c}" for c in media.MESSAGES
    }
    keys |= {f"vision.netcam.{c}" for c in netcam.MESSAGES} | {
        f"vision.palm_error.{c}" for c in PALM
    }
    keys |= {f"vision.gallery.{c}" for c in ("empty_name", "long_name", "bad_embedding", "full")}
    keys |= {f"vision.tab.{t}" for t in TABS} | {f"vision.task.{t}" for t in TASKS}
    keys |= {f"vision.live.source.{s}" for s in live_tab.SOURCES}
    keys |= {f"vision.source.{s}" for s in ("photo", "snapshot", "upload")}
    keys |= {f"vision.photo.{p}" for p in common.PHOTOS}
    keys |= {f"vision.scene.{s}" for s in (*SCENES, "upload")}
    keys |= {f"vision.bench.col.{f}" for f in BenchRow.__dataclass_fields__}
    keys |= {f"vision.condition.{c}" for c in CONDITIONS} | {
        f"vision.condition_axis.{c}" for c in CONDITIONS
    }
    keys |= {f"vision.face.section.{s}" for s in face_tab.SECTIONS} | {"vision.face.different"}
    keys |= {f"vision.stage.{s}" for s in ("original", "clahe", "denoise", "align", "no_face")}
    keys |= {f"vision.palm.stage.{s}" for s in ("raw", "mask", "illumination", "denoise",
                                                 "local_contrast", "aligned")}  # fmt: skip
    keys |= {f"vision.palm.condition.{c}" for c in palm_tab.CONDITIONS}
    keys |= {f"vision.palm.{k}" for k in ("people", "stages", "conditions", "why_small")}
    keys |= {f"vision.gallery.{k}" for k in ("enrol_title", "stored", "identify_title")}
    keys |= {f"vision.hud_error.{k}" for k in ("crashed", "memory", "other")}
    keys |= {f"vision.webrtc.{k}" for k in ("start", "stop", "select_device",
             "media_api_not_available", "device_ask_permission", "device_not_available",
             "device_access_denied")}  # fmt: skip
    keys |= {f"vision.{k}" for k in ("predict", "lock", "predict_first", "answered_before",
                                     "right", "wrong")}  # fmt: skip
    keys |= {f"vision.q.sweep.{o}" for o in ("verified", "rejected", "no_face")}
    for q in QUESTIONS.values():
        keys |= {f"vision.q.{q.id}.question", f"vision.q.{q.id}.why", f"skills.{q.skill}"}
        if q.id not in face_tab.SWEEP_QUESTION.values():
            keys |= {f"vision.q.{q.id}.{o}" for o in q.options}
        keys |= {f"misconceptions.{e}" for e in q.errors.values()}
    assert bench_tab.METRICS
    return keys


def _traffic_keys() -> set[str]:
    """Keys the traffic page builds from core's vocabularies."""
    from app_pages.components.traffic import TABS, views
    from core.traffic import errors, questions
    from core.traffic.controllers import BASELINES
    from core.traffic.forecast import MODELS
    from core.traffic.scenarios import SCENARIOS
    from core.traffic.sumo import NETWORKS

    keys = {f"traffic.error.{c}" for c in errors.MESSAGES} | {f"traffic.tab.{t}" for t in TABS}
    keys |= {f"traffic.controller.{c}" for c in (*BASELINES, "rl")}
    keys |= {f"traffic.metric.{m}" for m in views.METRICS} | {
        f"traffic.network.{n}" for n in NETWORKS
    }
    keys |= {f"traffic.scenario.{s}" for s in SCENARIOS}
    keys |= {f"traffic.scenario_about.{s}" for s in SCENARIOS}
    keys |= {f"traffic.fc.model.{m}" for m in MODELS}
    keys |= {f"traffic.fc.line.{k}" for k in ("actual", "model", "persistence", "yesterday")}
    keys |= {f"traffic.fc.mae_{k}" for k in ("persistence", "yesterday")}
    keys |= {f"traffic.{k}" for k in ("predict", "lock", "predict_first", "answered_before",
                                      "right", "wrong", "frame_caption", "rl.trained",
                                      "challenge.goal", "challenge.title")}  # fmt: skip
    keys |= {f"misconceptions.{e}" for e in questions.CHALLENGE_ERRORS}
    for q in questions.QUESTIONS.values():
        keys |= {f"traffic.q.{q.id}.question", f"traffic.q.{q.id}.why", f"skills.{q.skill}"}
        if q.id != "best_controller":  # its options are the controllers' names
            keys |= {f"traffic.q.{q.id}.{o}" for o in q.options}
        keys |= {f"misconceptions.{e}" for e in q.errors.values()}
    return keys


def _keys_used_in_code() -> set[str]:
    keys: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        keys |= set(LITERAL_KEY.findall(text)) | set(CORE_KEY.findall(text))
    keys |= {f"roles.{role.value}" for role in Role}
    keys |= {f"areas.{area}" for area in AREAS}
    keys |= {lab.title_key for lab in LABS} | {lab.summary_key for lab in LABS}
    keys |= {f"audit.{a}" for a in AUDIT_ACTIONS}
    keys |= {f"profiles.{p}" for p in PROFILES}
    keys |= {f"profiles.reason.{f}_{d}" for f in PROFILE_FEATURES for d in ("high", "low")}
    keys |= {badge_key(b) for b in BADGES}  # every badge the ledger can give
    keys |= {f"skills.{s}" for s in DEFAULT_SKILLS}
    keys |= {f"misconceptions.{c}" for codes in MISCONCEPTIONS.values() for c in codes}
    keys |= {f"misconceptions.{c}" for c in GENERIC_ERRORS}
    keys |= {
        f"misconceptions.{o.error_type}"
        for quiz in QUIZ_DIR.glob("*.toml")
        for item in load_quiz(quiz.stem)
        for o in item.options
        if o.error_type
    }
    keys |= {f"skills.{task.skill}" for task in TASKS.values()}
    keys |= _ml_keys() | _rl_keys() | _genomics_keys() | _vision_keys() | _traffic_keys()
    keys |= {f"quest.hints.{task}" for task in TASKS if task != "mine_block"}  # one button, no hint
    keys |= {f"quest.level.{level.id}" for level in LEVELS}
    keys |= {f"quest.badge.level_{level.id}" for level in LEVELS}
    keys |= {f"{ns}.{code}" for codes in VOCABULARY.values() for code in codes
             for ns in ("quest.error", "misconceptions")}  # fmt: skip
    keys |= {
        f"errors.{field}_{what}"
        for field in ("display_name", "class_name")
        for what in ("empty", "too_long")
    }
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_exactly_the_english_keys(lang: str) -> None:
    english, other = set(catalogue("en")), set(catalogue(lang))
    assert not english - other, f"missing in {lang}: {sorted(english - other)}"
    assert not other - english, f"only in {lang}: {sorted(other - english)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_english(lang: str) -> None:
    for key, text in catalogue("en").items():
        assert placeholders(catalogue(lang)[key]) == placeholders(text), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_empty_or_untranslated_strings(lang: str) -> None:
    for key, text in catalogue(lang).items():
        assert text.strip(), f"{lang}:{key} is empty"
    if lang != "en":
        same = [k for k, v in catalogue(lang).items() if v == catalogue("en")[k] and len(v) > 12]
        assert not same, f"{lang} strings identical to English: {same}"


def test_every_key_used_in_code_exists() -> None:
    missing = sorted(k for k in _keys_used_in_code() if k not in catalogue("en"))
    assert not missing, f"keys used in code but not in the catalogue: {missing}"


def test_kazakh_and_russian_use_their_scripts() -> None:
    kazakh_letters = set("әғқңөұүһі")
    assert any(set(text.lower()) & kazakh_letters for text in catalogue("kk").values())
    assert all(re.search("[а-яё]", catalogue("ru")[k].lower()) for k in ("nav.home", "app.logout"))


def test_missing_key_falls_back_and_is_remembered() -> None:
    assert t("no.such.key", "kk") == "no.such.key"
    assert ("kk", "no.such.key") in missing_seen()
    assert t("home.welcome", "ru", name="Айгерим") == "Здравствуйте, Айгерим!"


def test_raw_key_detection() -> None:
    assert raw_keys_in("Hello home.welcome and 3.14 and e.g. here") == ["home.welcome"]
    assert raw_keys_in("chain.hashing is a skill id, not a key namespace") == []


@pytest.mark.parametrize(
    ("locale", "expected"), [("ru-RU", "ru"), ("kk_KZ", "kk"), ("en-US", "en"), ("de-DE", "kk")]
)
def test_browser_locale(locale: str, expected: str) -> None:
    assert best_language(locale, "kk") == expected


@pytest.mark.parametrize("name", sorted(p.stem for p in QUIZ_DIR.glob("*.toml")))
def test_quizzes_are_complete_in_all_languages(name: str) -> None:
    items = load_quiz(name)
    assert items
    for item in items:
        assert len({tuple(o.text.values()) for o in item.options}) == len(item.options)
        assert item.skill.count(".") >= 1
