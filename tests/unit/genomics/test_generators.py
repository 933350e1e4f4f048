"""The generators' ground truth must be true: the planted motif text sits at the recorded site,
mutations are recorded exactly where the sequence changed, and the knobs stay in range."""

from __future__ import annotations

import itertools
import sys
from collections import Counter

import numpy as np
import pytest

from core.genomics import GenomicsInputError
from core.genomics.encoding import BASES, one_hot
from core.genomics.generators import Dataset, promoters, tumour
from core.genomics.motifs import CONSENSUS, JASPAR_IDS, motif

PLANTED = ("TATA", "GC_BOX", "CCAAT")
GERMLINE_SITES = 10  # polymorphic positions in tumour(); a rare carrier may differ at these only
_COMPLEMENT = dict(zip("ACGT", "TGCA", strict=True))
_SUBSTITUTE = {"C>T@CpG": ("C", "T"), "C>A": ("C", "A"), "T>C": ("T", "C"), "C>G": ("C", "G")}


@pytest.fixture(scope="module")
def proms() -> Dataset:
    return promoters(n=2000, length=200, seed=0)


def _labels(data: Dataset) -> np.ndarray:
    assert data.labels is not None
    return data.labels


# --- promoters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "positives"), [(2000, 1000), (101, 50)])
def test_promoters_half_positive(n: int, positives: int) -> None:
    data = promoters(n=n, length=120, seed=4)
    labels = _labels(data)
    assert len(data) == n
    assert set(labels.tolist()) == {0, 1}
    assert int(labels.sum()) == positives
    assert all(len(s) == 120 for s in data.seqs)
    assert set("".join(data.seqs)) <= set(BASES)


def test_sites_inside_sequence_and_not_overlapping(proms: Dataset) -> None:
    assert len(proms.sites) == len(proms)
    for seq, sites in zip(proms.seqs, proms.sites, strict=True):
        for site in sites:
            assert 0 <= site.start < site.end <= len(seq)
            assert site.end - site.start == motif(site.motif).length
        spans = sorted((s.start, s.end) for s in sites)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_planted_text_is_at_the_recorded_site(proms: Dataset) -> None:
    """The bases at start:end follow the motif's frequency matrix position by position; the same
    window shifted by one base does not (a wrong offset would look like background)."""
    for key in PLANTED:
        probabilities = motif(key).probabilities
        found = [
            (seq, site)
            for seq, sites in zip(proms.seqs, proms.sites, strict=True)
            for site in sites
            if site.motif == key
        ]
        assert len(found) > 300
        at_site = np.mean([one_hot(seq[s.start : s.end]) for seq, s in found], axis=0)
        shifted = np.mean([one_hot(seq[s.start + 1 : s.end + 1]) for seq, s in found], axis=0)
        assert np.abs(at_site - probabilities).max() < 0.08, key
        assert np.abs(shifted - probabilities).max() > 0.3, key


def test_tata_box_sits_26_to_34_bp_before_the_end(proms: Dataset) -> None:
    length = 200
    tata = [s for sites in proms.sites for s in sites if s.motif == "TATA"]
    assert tata
    assert all(length - 34 <= s.start and s.end <= length - 26 for s in tata)


def test_motif_rates_in_positives(proms: Dataset) -> None:
    positives = int(_labels(proms).sum())
    counts = Counter(s.motif for sites in proms.sites for s in sites)
    assert set(counts) == set(PLANTED)
    assert counts["TATA"] / positives == pytest.approx(0.85, abs=0.04)
    assert counts["GC_BOX"] / positives == pytest.approx(0.5, abs=0.05)
    assert counts["CCAAT"] / positives == pytest.approx(0.4, abs=0.05)


def test_negatives_have_no_sites(proms: Dataset) -> None:
    labels = _labels(proms)
    assert all(not sites for sites, label in zip(proms.sites, labels, strict=True) if not label)


def test_background_gc_same_in_both_classes(proms: Dataset) -> None:
    """Only the motifs may separate the classes, so the background GC must not."""
    labels = _labels(proms)
    gc = np.array([(s.count("G") + s.count("C")) / len(s) for s in proms.seqs])
    assert abs(gc[labels == 1].mean() - gc[labels == 0].mean()) < 0.02


def test_promoters_seeded() -> None:
    first, again, other = (promoters(n=200, length=100, seed=s) for s in (7, 7, 8))
    assert first.seqs == again.seqs
    assert first.sites == again.sites
    np.testing.assert_array_equal(_labels(first), _labels(again))
    assert first.seqs != other.seqs


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n": 99}, "n"), ({"n": 5001}, "n"), ({"length": 59}, "length"), ({"length": 501}, "length")],
)
def test_size_out_of_range(kwargs: dict[str, int], name: str) -> None:
    for generate in (promoters, tumour):
        with pytest.raises(GenomicsInputError) as info:
            generate(**kwargs)
        assert info.value.code == "parameter_range"
        assert info.value.values["name"] == name


# --- tumour --------------------------------------------------------------------------------------


def test_tumour_labels_and_rare_only_on_tumours(tumour_data: Dataset) -> None:
    labels = _labels(tumour_data)
    assert tumour_data.rare is not None
    assert set(labels.tolist()) == {0, 1}
    assert not tumour_data.rare[labels == 0].any()
    assert tumour_data.rare.mean() == pytest.approx(0.03, abs=0.01)


@pytest.mark.parametrize("fraction", [0.0, 0.1])
def test_rare_fraction_followed(fraction: float) -> None:
    data = tumour(n=1000, length=100, seed=2, rare_fraction=fraction)
    assert data.rare is not None
    assert data.rare.mean() == pytest.approx(fraction, abs=0.025)


def test_tumour_sequences_same_length(tumour_data: Dataset) -> None:
    assert {len(s) for s in tumour_data.seqs} == {200}
    assert set("".join(tumour_data.seqs)) <= set("ACGTN")


def test_mutations_only_for_tumours(tumour_data: Dataset) -> None:
    labels = _labels(tumour_data)
    assert len(tumour_data.mutations) == len(tumour_data)
    assert all(not m for m, label in zip(tumour_data.mutations, labels, strict=True) if not label)
    mutated = np.array([bool(m) for m in tumour_data.mutations])
    assert 0.4 < mutated[labels == 1].mean() < 0.8  # ~35 % of tumours carry no change


def _reference(data: Dataset) -> str:
    """The per-position majority of the normals: their polymorphisms all have MAF <= 50 %."""
    normals = [s for s, label in zip(data.seqs, _labels(data), strict=True) if not label]
    return "".join(Counter(column).most_common(1)[0][0] for column in zip(*normals, strict=True))


def test_rare_carriers_have_one_hotspot_event(tumour_data: Dataset) -> None:
    assert tumour_data.rare is not None
    reference = _reference(tumour_data)
    kinds: Counter[str] = Counter()
    for seq, events, rare in zip(
        tumour_data.seqs, tumour_data.mutations, tumour_data.rare, strict=True
    ):
        if not rare:
            assert not any(e.startswith(("DBS", "DEL3")) for e in events)
            continue
        assert len(events) == 1
        kind, position = events[0].split(":")
        at = int(position)
        assert reference[at : at + 2] == "CC"
        kinds[kind] += 1
        if kind == "DBS":
            assert seq[at : at + 2] == "TT"
        else:
            assert kind == "DEL3"
            deleted = reference[:at] + reference[at + 3 :] + "NNN"
            assert seq.endswith("NNN")
            assert sum(a != b for a, b in zip(seq, deleted, strict=True)) <= GERMLINE_SITES
    assert set(kinds) == {"DBS", "DEL3"}


def test_substitutions_recorded_where_the_sequence_changed(tumour_data: Dataset) -> None:
    """Each recorded substitution's position carries its new base (on either strand), and sits
    where every normal agrees (germline polymorphism sites are protected). A germline variant
    next door may create the CpG, so that is checked in the sample's own sequence."""
    normals = [
        s for s, label in zip(tumour_data.seqs, _labels(tumour_data), strict=True) if not label
    ]
    reference = _reference(tumour_data)
    checked = 0
    for seq, events in zip(tumour_data.seqs, tumour_data.mutations, strict=True):
        last: dict[int, str] = {}
        hits: Counter[int] = Counter()
        for event in events:
            kind, position = event.rsplit(":", 1)
            if kind in _SUBSTITUTE:
                last[int(position)] = kind
                hits[int(position)] += 1
        for at, kind in last.items():
            old, new = _SUBSTITUTE[kind]
            assert seq[at] in (new, _COMPLEMENT[new]), (kind, at)
            assert all(n[at] == reference[at] for n in normals[:300])
            # An earlier hit here or next door may have made the base (or the CpG) it started from.
            if hits[at] == 1 and not hits[at - 1] and not hits[at + 1]:
                assert reference[at] in (old, _COMPLEMENT[old]), (kind, at)
                if kind == "C>T@CpG":  # CpG became TpG, or CpA on the other strand
                    assert seq[at : at + 2] == "TG" or seq[at - 1 : at + 1] == "CA"
                checked += 1
    assert checked > 1000


def test_clinical_variables(tumour_data: Dataset) -> None:
    clinical = tumour_data.clinical
    assert clinical is not None
    labels = _labels(tumour_data)
    assert list(clinical.columns) == [
        "age",
        "sex_male",
        "pack_years",
        "family_history",
        "marker_ng_ml",
    ]
    assert len(clinical) == len(tumour_data)
    assert not clinical.isna().any().any()
    age = clinical["age"].to_numpy()
    assert age[labels == 1].mean() > age[labels == 0].mean() + 5
    assert age.min() >= 18
    assert age.max() <= 95


def test_institutions_differ_in_case_mix(tumour_data: Dataset) -> None:
    assert tumour_data.institution is not None
    labels = _labels(tumour_data)
    shares = [labels[tumour_data.institution == i].mean() for i in range(3)]
    assert set(tumour_data.institution.tolist()) == {0, 1, 2}
    assert shares[0] < shares[1] < shares[2]


def test_tumour_seeded() -> None:
    first, again, other = (tumour(n=200, length=100, seed=s) for s in (3, 3, 4))
    assert first.seqs == again.seqs
    assert first.mutations == again.mutations
    assert first.clinical is not None and again.clinical is not None
    assert first.clinical.equals(again.clinical)
    assert first.seqs != other.seqs


@pytest.mark.parametrize("fraction", [-0.01, 0.21])
def test_rare_fraction_out_of_range(fraction: float) -> None:
    with pytest.raises(GenomicsInputError) as info:
        tumour(n=200, rare_fraction=fraction)
    assert info.value.code == "parameter_range"
    assert info.value.values["name"] == "rare_fraction"


# --- motifs --------------------------------------------------------------------------------------


def test_tata_motif_from_jaspar() -> None:
    tata = motif("TATA")
    assert "MA0108.3" in tata.source
    assert tata.name == "TBP"
    assert tata.consensus == "TATAAAA"
    assert tata.length == 7


@pytest.mark.parametrize("key", list(JASPAR_IDS))
def test_motif_probabilities_are_distributions(key: str) -> None:
    found = motif(key)
    assert JASPAR_IDS[key] in found.source
    assert found.probabilities.shape == (found.length, 4)
    np.testing.assert_allclose(found.probabilities.sum(axis=1), 1.0)
    assert (found.probabilities > 0).all()  # pseudocounts: no base is impossible


def test_sample_follows_the_frequency_matrix() -> None:
    tata = motif("TATA")
    rng = np.random.default_rng(0)
    samples = [tata.sample(rng) for _ in range(4000)]
    assert {len(s) for s in samples} == {tata.length}
    frequencies = np.mean([one_hot(s) for s in samples], axis=0)
    assert np.abs(frequencies - tata.probabilities).max() < 0.03


def test_consensus_fallback_without_pyjaspar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyjaspar", None)  # import now raises ImportError
    for key, consensus in CONSENSUS.items():
        fallback = motif.__wrapped__(key)
        assert fallback.source == "consensus"
        assert fallback.consensus == consensus
        np.testing.assert_allclose(fallback.probabilities.sum(axis=1), 1.0)
