"""Genomics pipeline: wall time of every step for 2,000 sequences × 200 bp (the issue's size),
one thread, as a classroom laptop runs it.

    python -m benchmarks.genomics            # promoters and tumour data, CNN included
    python -m benchmarks.genomics --quick    # promoters only, 600 sequences

Steps: generate, clean, encode (one-hot and 4-mers), k-means, hierarchical, PCA, t-SNE,
random forest, XGBoost, SHAP on the test quarter, autoencoder + IsolationForest (tumour data:
precision@k on the planted rare mutants), multimodal and FedAvg (tumour data). The CNN is timed
separately. Target: the whole pipeline without the CNN < 15 s.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")


from core.genomics import anomaly, classify, clustering, explain, federated, multimodal
from core.genomics.cnn import CnnSettings, train_cnn
from core.genomics.encoding import kmer_counts, kmer_frequencies, one_hot_batch
from core.genomics.generators import promoters, tumour
from core.genomics.preprocess import PreprocessSettings, preprocess

TARGET_S = 15.0


def _timed(times: dict[str, float], step: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    times[step] = time.perf_counter() - start
    return result


def pipeline(kind: str, n: int, length: int) -> tuple[dict[str, float], dict[str, float]]:
    times: dict[str, float] = {}
    found: dict[str, float] = {}
    make = promoters if kind == "promoters" else tumour
    raw = _timed(times, "generate", lambda: make(n, length, 0))
    data, _ = _timed(
        times, "clean", lambda: preprocess(raw, PreprocessSettings(deduplicate=kind != "tumour"))
    )
    seqs, labels = list(data.seqs), data.labels
    onehot = _timed(times, "one-hot", lambda: one_hot_batch(seqs))
    x, names = _timed(times, "4-mer counts", lambda: kmer_counts(seqs, 4))
    freq = kmer_frequencies(seqs, 4)[0]
    km = _timed(times, "k-means", lambda: clustering.cluster(freq, "kmeans", 2, labels))
    _timed(times, "hierarchical", lambda: clustering.cluster(freq, "hierarchical", 2, labels))
    _timed(times, "PCA", lambda: clustering.project(freq, "pca"))
    _timed(times, "t-SNE", lambda: clustering.project(freq, "tsne"))
    found["k-means adjusted Rand"] = km.rand_index
    split = classify.split(labels)
    for model in classify.MODELS:
        trained = _timed(times, model, lambda m=model: classify.train(m, x, labels, split))
        found[f"{model} accuracy"] = trained.scores.accuracy
    shap = _timed(
        times, "SHAP (XGBoost)",
        lambda: explain.explain_trees(trained.model, x[split.test], names),
    )  # fmt: skip
    print(f"  {kind}: top SHAP 4-mers {[k for k, _ in shap.top(6)]}")
    screen = anomaly.screening(labels, data.rare, split.train, split.test)

    def detect() -> tuple[float, float]:
        normal, scored = onehot[screen.normal_train], onehot[screen.scored]
        auto = anomaly.train_autoencoder(normal, scored, anomaly.AutoencoderSettings())
        forest = anomaly.isolation_forest_scores(
            normal.reshape(len(normal), -1).astype(float),
            scored.reshape(len(scored), -1).astype(float),
        )
        k = int(screen.truth.sum())
        return anomaly.precision_at_k(auto.scores, screen.truth, k), anomaly.precision_at_k(
            forest, screen.truth, k
        )

    found["autoencoder precision@k"], found["IsolationForest precision@k"] = _timed(
        times, "autoencoder + IsolationForest", detect
    )
    if data.clinical is not None and data.institution is not None:
        x3, _ = kmer_counts(seqs, 3)
        mm = _timed(
            times,
            "multimodal (3 models)",
            lambda: multimodal.compare_modalities(x3, data.clinical.to_numpy(float), labels, split),
        )
        found["multimodal AUC gain"] = mm.auc_gain
        fed = _timed(
            times,
            "FedAvg + central + local",
            lambda: federated.federated_vs_central(
                kmer_frequencies(seqs, 3)[0],
                labels,
                data.institution,
                split.train,
                split.test,
                length,
            ),
        )
        found["federated - central accuracy"] = fed.federated.accuracy - fed.centralised.accuracy
    train, test = split.train, split.test
    cnn = _timed(
        times, "CNN (12 epochs)",
        lambda: train_cnn(onehot[train], labels[train], onehot[test], labels[test], CnnSettings()),
    )  # fmt: skip
    found["CNN accuracy"] = cnn.scores.accuracy if cnn.scores else float("nan")
    return times, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 600 if args.quick else 2000
    kinds = ("promoters",) if args.quick else ("promoters", "tumour")
    import torch  # imported once up front, so the first timed torch step is not charged for it

    torch.set_num_threads(1)
    print(f"Genomics pipeline, {n} sequences × 200 bp, one thread")
    verdicts = []
    for kind in kinds:
        times, found = pipeline(kind, n, 200)
        without_cnn = sum(v for k, v in times.items() if not k.startswith("CNN"))
        print(f"\n{kind}:")
        for step, seconds in times.items():
            print(f"  {step:<32} {seconds:7.2f} s")
        print(
            f"  {'whole pipeline without the CNN':<32} {without_cnn:7.2f} s"
            f" (target < {TARGET_S:.0f} s)"
        )
        for name, value in found.items():
            print(f"  {name:<32} {value:7.3f}")
        verdicts.append(without_cnn < TARGET_S)
    print("\nTarget met" if all(verdicts) else "\nTarget NOT met")


if __name__ == "__main__":
    main()
