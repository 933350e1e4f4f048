"""Datasets with known ground truth, so a learner (and a test) can check that a model's
explanation points at what really makes the classes differ.

* ``promoters``: promoter-like sequences carry real JASPAR motifs (TATA box ~30 bp before the
  transcription start, GC boxes, CCAAT boxes) planted into background DNA of the same GC content
  as the negatives, so only the motifs separate the classes.
* ``tumour``: one reference region (as in targeted sequencing) seen in many people. Normals carry
  germline polymorphisms; tumours add somatic mutations drawn from real signatures (C>T at CpG,
  SBS1; C>A, SBS4 in smokers); a few tumours carry only a rare hotspot event (a double-base
  CC>TT or an in-frame 3-bp deletion) for anomaly detection. Clinical variables and three
  institutions with different case mixes come with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.genomics.encoding import BASES
from core.genomics.errors import check_ranges
from core.genomics.motifs import motif

KINDS = ("promoters", "tumour")
SIZE_RANGE = (100, 5000)
LENGTH_RANGE = (60, 500)
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Site:
    motif: str
    start: int
    end: int


@dataclass(frozen=True, eq=False)
class Dataset:
    """Sequences with whatever truth is known. ``labels`` is None for an unlabelled upload."""

    kind: str  # promoters, tumour or upload
    names: tuple[str, ...]
    seqs: tuple[str, ...]
    labels: Ints | None
    class_names: tuple[str, str] = ("0", "1")
    sites: tuple[tuple[Site, ...], ...] = ()  # planted motifs per sequence (promoters)
    rare: Bools | None = None  # planted rare hotspot carriers (tumour)
    clinical: pd.DataFrame | None = None
    institution: Ints | None = None
    mutations: tuple[tuple[str, ...], ...] = field(default=())  # e.g. "C>T@CpG:57"

    def __len__(self) -> int:
        return len(self.seqs)


def _background(rng: np.random.Generator, length: int, gc: float) -> list[str]:
    probabilities = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    return [BASES[i] for i in rng.choice(4, size=length, p=probabilities)]


def promoters(n: int = 2000, length: int = 200, seed: int = 0) -> Dataset:
    """Half promoter-like (label 1): a TATA box in 85 % of them, 26–34 bp before the end (the
    transcription start), a GC box in 50 %, a CCAAT box in 40 %. Half background (label 0)."""
    check_ranges(("n", n, *SIZE_RANGE), ("length", length, *LENGTH_RANGE))
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 2).astype(np.int64)
    rng.shuffle(labels)
    seqs: list[str] = []
    sites: list[tuple[Site, ...]] = []
    for label in labels:
        bases = _background(rng, length, float(np.clip(rng.normal(0.45, 0.03), 0.3, 0.6)))
        planted: list[Site] = []
        if label:
            plan = [("TATA", 0.85, length - 34, length - 26), ("GC_BOX", 0.5, 20, length - 90)]
            plan.append(("CCAAT", 0.4, 20, length - 60))
            for key, chance, low, high in plan:
                if rng.random() >= chance:
                    continue
                site = motif(key).sample(rng)
                start = _free_start(rng, low, max(low, high - len(site)), len(site), planted)
                if start is None:
                    continue
                bases[start : start + len(site)] = list(site)
                planted.append(Site(key, start, start + len(site)))
        seqs.append("".join(bases))
        sites.append(tuple(planted))
    return Dataset(
        kind="promoters",
        names=tuple(f"seq{i:04d}" for i in range(n)),
        seqs=tuple(seqs),
        labels=labels,
        class_names=("background", "promoter"),
        sites=tuple(sites),
    )


def _free_start(
    rng: np.random.Generator, low: int, high: int, width: int, taken: list[Site]
) -> int | None:
    for _ in range(20):
        start = int(rng.integers(low, high + 1))
        if all(start + width <= s.start or start >= s.end for s in taken):
            return start
    return None


SPECTRUM = {"C>T@CpG": 0.45, "C>A": 0.2, "T>C": 0.2, "C>G": 0.15}
_SUBSTITUTE = {"C>T@CpG": "T", "C>A": "A", "T>C": "C", "C>G": "G"}
_COMPLEMENT = dict(zip("ACGT", "TGCA", strict=True))


def _reference(rng: np.random.Generator, length: int) -> list[str]:
    """A region with CpG sites kept apart, so each C>T at CpG is visible in the k-mers."""
    bases = _background(rng, length, 0.44)
    for i in range(1, length - 1):
        if bases[i - 1] == "C" and bases[i] == "G":
            bases[i] = "A"
    for start in range(8, length - 8, max(8, length // 18)):
        bases[start : start + 2] = ["C", "G"]
    hotspot = _hotspot_position(length)
    bases[hotspot - 1 : hotspot + 3] = ["A", "C", "C", "A"]  # a CC the UV hotspot turns into TT
    return bases


def _hotspot_position(length: int) -> int:
    return int(length * 0.6) | 1  # odd: never on the even-spaced CpG grid


def _mutate(rng: np.random.Generator, bases: list[str], kind: str, protected: set[int]) -> str:
    """One somatic substitution of ``kind`` on either strand; returns 'kind:position'."""
    target = "T" if kind == "T>C" else "C"
    candidates = []
    for i in range(1, len(bases) - 1):
        if i in protected:
            continue
        forward = bases[i] == target and (kind != "C>T@CpG" or bases[i + 1] == "G")
        reverse = bases[i] == _COMPLEMENT[target] and (kind != "C>T@CpG" or bases[i - 1] == "C")
        if forward or reverse:
            candidates.append((i, forward))
    if not candidates:
        return ""
    i, forward = candidates[int(rng.integers(len(candidates)))]
    new = _SUBSTITUTE[kind]
    bases[i] = new if forward else _COMPLEMENT[new]
    return f"{kind}:{i}"


def tumour(n: int = 2000, length: int = 200, seed: int = 0, rare_fraction: float = 0.03) -> Dataset:
    """Tumour (label 1) vs normal (0). ~35 % of tumours have no somatic change in this region,
    which caps what the sequence alone can tell and leaves room for the clinical variables."""
    check_ranges(
        ("n", n, *SIZE_RANGE), ("length", length, *LENGTH_RANGE),
        ("rare_fraction", rare_fraction, 0.0, 0.2),
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    reference = _reference(rng, length)
    cpg = {i for i in range(length - 1) if reference[i] == "C" and reference[i + 1] == "G"}
    hot = _hotspot_position(length)
    free = [i for i in range(5, length - 5) if i not in cpg and not hot - 2 <= i <= hot + 4]
    snp_sites = rng.choice(free, 10, replace=False)
    snp_alt = {
        int(s): BASES[(BASES.index(reference[s]) + 1 + rng.integers(3)) % 4] for s in snp_sites
    }
    snp_freq = rng.uniform(0.1, 0.5, size=len(snp_sites))  # common variants, MAF ≥ 10 %
    hotspot = _hotspot_position(length)
    institution = rng.integers(0, 3, size=n)
    prevalence = np.array([0.3, 0.5, 0.7])[institution]
    labels = (rng.random(n) < prevalence).astype(np.int64)
    smoker_rate = np.array([0.2, 0.35, 0.55])[institution] + 0.15 * labels
    smoker = rng.random(n) < smoker_rate
    rare = (labels == 1) & (rng.random(n) < rare_fraction * n / max(1, labels.sum()))
    seqs, mutations = [], []
    for row in range(n):
        bases = list(reference)
        for site, alt, freq in zip(snp_alt, snp_alt.values(), snp_freq, strict=True):
            if rng.random() < freq:
                bases[site] = alt
        events: list[str] = []
        if rare[row]:
            events.append(_hotspot(rng, bases, hotspot))
        elif labels[row] and rng.random() > 0.35:
            weights = dict(SPECTRUM)
            if smoker[row]:
                weights["C>A"] *= 3
            total = sum(weights.values())
            kinds = rng.choice(
                list(weights), 1 + rng.poisson(3), p=[w / total for w in weights.values()]
            )
            events += [_mutate(rng, bases, str(k), set(snp_alt)) for k in kinds]
        seqs.append("".join(bases)[:length])
        mutations.append(tuple(e for e in events if e))
    return Dataset(
        kind="tumour",
        names=tuple(f"sample{i:04d}" for i in range(n)),
        seqs=tuple(seqs),
        labels=labels,
        class_names=("normal", "tumour"),
        rare=rare,
        clinical=clinical_variables(rng, labels, smoker),
        institution=institution.astype(np.int64),
        mutations=tuple(mutations),
    )


def _hotspot(rng: np.random.Generator, bases: list[str], position: int) -> str:
    """A double-base CC>TT (UV signature, SBS/DBS1) or an in-frame 3-bp deletion at the hotspot;
    the deletion shortens the read, so it is padded back with the next reference bases (N)."""
    if rng.random() < 0.5:
        bases[position : position + 2] = ["T", "T"]
        return f"DBS:{position}"
    del bases[position : position + 3]
    bases.extend("NNN")
    return f"DEL3:{position}"


def clinical_variables(rng: np.random.Generator, labels: Ints, smoker: Bools) -> pd.DataFrame:
    """Age, sex, pack-years, family history and a blood marker; each differs a little between
    tumour and normal, none separates them alone (as in real cohorts)."""
    n = len(labels)
    pack_years = np.where(smoker, rng.gamma(2.0, 10.0, n), 0.0)
    return pd.DataFrame(
        {
            "age": np.clip(rng.normal(52 + 9 * labels, 11), 18, 95).round(),
            "sex_male": rng.integers(0, 2, n).astype(float),
            "pack_years": pack_years.round(1),
            "family_history": (rng.random(n) < 0.1 + 0.15 * labels).astype(float),
            "marker_ng_ml": np.exp(rng.normal(1.0 + 0.6 * labels, 0.6)).round(2),
        }
    )
