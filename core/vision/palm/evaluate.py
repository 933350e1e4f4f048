"""Biometric evaluation the way a deployed system meets people: the network is trained on some
people, then *new* people enrol (their first photographs become the gallery) and later
photographs of them are matched against the gallery. Accuracy on the training people would only
show the network memorised them.

A probe's distance to an enrolled person is 1 − cosine to that person's closest gallery
embedding. Identification picks the nearest person (rank-1); verification accepts a claim when
the distance is below a threshold, trading false accepts (FAR) against false rejects (FRR); the
equal error rate is where the two are equal."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from core.jobs import JobContext, Progress, silent
from core.vision.errors import EXPLAINED
from core.vision.palm.errors import PalmInputError, check_ranges
from core.vision.palm.generator import PalmDataset, PalmSettings, generate, with_conditions
from core.vision.palm.network import (
    EpochLog,
    PalmNetResult,
    PalmNetSettings,
    embed,
    train_palm_net,
)
from core.vision.palm.preprocess import PreprocessSteps, preprocess

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Roc:
    thresholds: Floats  # accept when distance <= threshold
    far: Floats  # impostor attempts accepted
    frr: Floats  # genuine attempts rejected


@dataclass(frozen=True)
class ConditionResult:
    name: str  # "normal", "low_light" or "occluded"
    brightness: float  # mean illumination of the probes
    occlusion: float  # mean covered fraction of the probes
    accuracy: float  # rank-1 identification among held-out people
    eer: float
    threshold: float  # distance at the equal error rate
    genuine: Floats  # distances of probes to their own enrolment
    impostor: Floats  # distances of probes to everyone else's


@dataclass(frozen=True)
class PalmExperiment:
    conditions: tuple[ConditionResult, ...]
    closed_set_accuracy: float  # later photographs of the training people
    history: tuple[EpochLog, ...]
    train_identities: int
    test_identities: int
    parameters: int
    seconds: float
    stopped: bool
    network: PalmNetResult

    def condition(self, name: str) -> ConditionResult:
        return next(c for c in self.conditions if c.name == name)


def split_identities(
    dataset: PalmDataset, test_fraction: float = 0.33, seed: int = 0
) -> tuple[PalmDataset, PalmDataset]:
    """(training people, held-out people): every photograph of a person goes to one side."""
    check_ranges(("test_fraction", test_fraction, 0.05, 0.95))
    people = np.unique(dataset.labels)
    test_count = round(test_fraction * len(people))
    if test_count < 2 or len(people) - test_count < 2:
        raise PalmInputError("too_few_identities", train=len(people) - test_count, test=test_count)
    held_out = np.random.default_rng(seed).permutation(people)[:test_count]
    is_test = np.isin(dataset.labels, held_out)
    return dataset.select(np.flatnonzero(~is_test)), dataset.select(np.flatnonzero(is_test))


def enrol_split(dataset: PalmDataset, enrol: int) -> tuple[Ints, Ints]:
    """(gallery rows, probe rows): each person's first ``enrol`` photographs enrol them."""
    if enrol < 1 or enrol >= int(dataset.samples.max()) + 1:
        raise PalmInputError("too_few_samples", samples=int(dataset.samples.max()) + 1, enrol=enrol)
    gallery = dataset.samples < enrol
    return np.flatnonzero(gallery), np.flatnonzero(~gallery)


def distances(gallery: Floats, gallery_labels: Ints, probes: Floats) -> tuple[Floats, Ints]:
    """(probes × people distance matrix, people in column order): 1 − the highest cosine
    between the probe and any of that person's gallery embeddings."""
    people = np.unique(gallery_labels)
    cosine = probes @ gallery.T
    best = np.stack([cosine[:, gallery_labels == p].max(axis=1) for p in people], axis=1)
    return 1 - best, people


def identification_accuracy(
    gallery: Floats, gallery_labels: Ints, probes: Floats, probe_labels: Ints
) -> float:
    """Rank-1: how often the nearest enrolled person is the right one."""
    matrix, people = distances(gallery, gallery_labels, probes)
    return float((people[matrix.argmin(axis=1)] == probe_labels).mean())


def match_scores(
    gallery: Floats, gallery_labels: Ints, probes: Floats, probe_labels: Ints
) -> tuple[Floats, Floats]:
    """(genuine, impostor) distances: each probe against its own person and against every
    other enrolled person."""
    matrix, people = distances(gallery, gallery_labels, probes)
    own = people[None, :] == probe_labels[:, None]
    return matrix[own], matrix[~own]


def roc(genuine: Floats, impostor: Floats, thresholds: Floats | None = None) -> Roc:
    """FAR and FRR at every threshold (by default every distance seen, plus one below all)."""
    genuine, impostor = np.sort(genuine), np.sort(impostor)
    if thresholds is None:
        seen = np.unique(np.concatenate([genuine, impostor]))
        thresholds = np.concatenate([[seen[0] - 1e-9], seen]) if len(seen) else np.zeros(1)
    far = np.searchsorted(impostor, thresholds, side="right") / max(len(impostor), 1)
    frr = 1 - np.searchsorted(genuine, thresholds, side="right") / max(len(genuine), 1)
    return Roc(np.asarray(thresholds, np.float64), far, frr)


def eer(genuine: Floats, impostor: Floats) -> tuple[float, float]:
    """(equal error rate, its threshold). FAR rises and FRR falls as the threshold grows; find
    the first threshold where FAR ≥ FRR and interpolate linearly from the one before, where FAR
    was still below FRR, to the point where the two lines cross."""
    if len(genuine) == 0 or len(impostor) == 0:
        raise PalmInputError("empty")
    curve = roc(np.asarray(genuine, np.float64), np.asarray(impostor, np.float64))
    gap = curve.far - curve.frr
    i = int(np.argmax(gap >= 0))
    if i == 0:
        return float((curve.far[0] + curve.frr[0]) / 2), float(curve.thresholds[0])
    t = -gap[i - 1] / (gap[i] - gap[i - 1])
    far = curve.far[i - 1] + t * (curve.far[i] - curve.far[i - 1])
    frr = curve.frr[i - 1] + t * (curve.frr[i] - curve.frr[i - 1])
    threshold = curve.thresholds[i - 1] + t * (curve.thresholds[i] - curve.thresholds[i - 1])
    return float((far + frr) / 2), float(threshold)


def closed_set_accuracy(result: PalmNetResult, train: PalmDataset, later: PalmDataset) -> float:
    """Later photographs of the training people matched against their training photographs:
    the easy case, for contrast with the held-out people."""
    return identification_accuracy(
        embed(result, train.images), train.labels, embed(result, later.images), later.labels
    )


def run_experiment(
    data: PalmSettings | None = None,
    net: PalmNetSettings | None = None,
    steps: PreprocessSteps | None = None,
    report: Progress = silent,
    *,
    test_fraction: float = 0.33,
    enrol: int = 2,
    low_light: float = 0.1,
    occlusion: float = 0.25,
) -> PalmExperiment:
    """Generate, preprocess, train on some people, enrol the others in good light and probe
    them in good light, dim light and with part of the palm covered: the same probes in the
    same poses, only the condition changes. Progress: 0.1 after data, 0.1..0.9 training,
    1.0 done; training updates are ``EpochLog``s. ``None`` means the defaults."""
    start = time.perf_counter()
    data, net, steps = data or PalmSettings(), net or PalmNetSettings(), steps or PreprocessSteps()
    data.check()
    net.check()
    people, newcomers = split_identities(generate(data), test_fraction, data.seed)
    gallery_rows, probe_rows = enrol_split(newcomers, enrol)
    fit, later = _hold_back_last(people)
    fit = replace(fit, images=preprocess(fit.images, steps))
    report(0.1, None)

    def training(progress: float, update: object = None) -> bool:
        return report(0.1 + 0.8 * progress, update)

    result = train_palm_net(fit, net, training)
    gallery = newcomers.select(gallery_rows)
    enrolled = (embed(result, preprocess(gallery.images, steps)), gallery.labels)
    probes = newcomers.select(probe_rows)
    variants = {
        "normal": probes,
        "low_light": with_conditions(probes, brightness=low_light),
        "occluded": with_conditions(probes, occlusion=occlusion),
    }
    conditions = tuple(
        _condition(name, variant, enrolled, embed(result, preprocess(variant.images, steps)))
        for name, variant in variants.items()
    )
    later = replace(later, images=preprocess(later.images, steps))
    closed = closed_set_accuracy(result, fit, later)
    report(1.0, None)
    return PalmExperiment(
        conditions=conditions,
        closed_set_accuracy=closed,
        history=result.history,
        train_identities=len(np.unique(people.labels)),
        test_identities=len(np.unique(newcomers.labels)),
        parameters=result.parameters,
        seconds=time.perf_counter() - start,
        stopped=result.stopped,
        network=result,
    )


def experiment_job(
    ctx: JobContext,
    data: PalmSettings,
    net: PalmNetSettings,
    steps: PreprocessSteps,
    low_light: float,
    occlusion: float,
) -> PalmExperiment | Exception:
    """The palm tab's experiment as a background job; live updates are the ``EpochLog``s. A
    Stop ends training early and the people are still enrolled and probed with the network so
    far. A setting the lab cannot use (``PalmInputError``) is the result, for the page to
    explain, not a failed job."""
    try:
        return run_experiment(
            data, net, steps, ctx.report, low_light=low_light, occlusion=occlusion
        )
    except EXPLAINED as error:
        return error


def _condition(
    name: str, probes: PalmDataset, enrolled: tuple[Floats, Ints], embedded: Floats
) -> ConditionResult:
    args = (*enrolled, embedded, probes.labels)
    genuine, impostor = match_scores(*args)
    rate, threshold = eer(genuine, impostor)
    return ConditionResult(
        name=name,
        brightness=float(probes.brightness.mean()),
        occlusion=float(probes.occlusion.mean()),
        accuracy=identification_accuracy(*args),
        eer=rate,
        threshold=threshold,
        genuine=genuine,
        impostor=impostor,
    )


def _hold_back_last(people: PalmDataset) -> tuple[PalmDataset, PalmDataset]:
    """Each training person's last photograph is kept out of training for the closed-set check."""
    last = people.samples == people.samples.max()
    return people.select(np.flatnonzero(~last)), people.select(np.flatnonzero(last))
