"""Genomics in a real browser: a student uploads a FASTA file with a labels CSV, predicts and
checks the GC question, trains the CNN live, and sees the SHAP ranking and the CNN's saliency
map; a protein FASTA gets a translated message instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.genomics.generators import promoters
from tests.e2e.helpers import (
    assert_loopback_only,
    click_until,
    fresh_page,
    lock_prediction,
    main,
    open_page,
    seed_class,
    settle,
    shot,
    shot_at,
    signed_in,
)

PASSWORD = "Promoter-Tata-2026"


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("aigul", "Aigul S."), "11A", ("dana", "Dana M."), PASSWORD)
    return zerde_server


@pytest.fixture(scope="module")
def upload_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("fasta")
    data = promoters(n=600, length=200, seed=3)
    assert data.labels is not None
    fasta = folder / "promoters.fa"
    fasta.write_text(
        "".join(f">{n}\n{s[:100]}\n{s[100:]}\n" for n, s in zip(data.names, data.seqs, strict=True))
    )
    labels = folder / "labels.csv"
    rows = [f"{n},{int(v)}" for n, v in zip(data.names, data.labels, strict=True)]
    labels.write_text("id,label\n" + "\n".join(rows) + "\n")
    protein = folder / "protein.fa"
    protein.write_text(
        ">p53_fragment\nMEEPQSDPSVEPPLSQETFSDLWKLLPENNVLSPLPSQAMDDLMLSPDDIEQWFTEDPGP\n"
    )
    return fasta, labels, protein


def predict(page: Page, question: str, option: str) -> None:
    lock_prediction(page, "gen", question, option)


def upload(page: Page, key: str, path: Path) -> None:
    """Upload and wait until the uploader lists the file (a file set during a rerun is lost)."""
    box = main(page).locator(f".st-key-{key}")
    click_until(
        box.locator("input[type=file]"),
        lambda: expect(box.get_by_text(path.name, exact=True)).to_be_visible(timeout=15_000),
        act=lambda target: target.set_input_files(str(path)),
    )
    settle(page)


def test_upload_train_and_explain(
    browser: Browser, seeded: str, artifacts_dir: Path, upload_files: tuple[Path, Path, Path]
) -> None:
    fasta, labels, protein = upload_files
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1100})
        page.goto(seeded)
        signed_in(page, "dana", PASSWORD)
        open_page(page, "Genomics explorer", "genomics")
        expect(main(page).locator(".st-key-gen_preview")).to_be_visible(timeout=60_000)
        shot(page, artifacts_dir, "gen_00_generated")
        main(page).locator(".st-key-gen_kind").get_by_text("Upload FASTA", exact=True).click()
        settle(page)
        upload(page, "gen_fasta", protein)
        expect(main(page).get_by_test_id("stAlertContentError")).to_contain_text(
            "not DNA letters", timeout=30_000
        )
        shot(page, artifacts_dir, "gen_01_protein_rejected")
        upload(page, "gen_fasta", fasta)
        upload(page, "gen_labels", labels)
        expect(main(page).locator(".st-key-gen_preview")).to_be_visible(timeout=60_000)
        # the GC question needs the labels, which are read after the FASTA: wait for them
        gc_option = "Yes, class 1 sequences have more G and C"
        card = main(page).locator(".st-key-gen_q_card_gc")
        expect(card.get_by_text(gc_option, exact=True)).to_be_visible(timeout=90_000)
        predict(page, "gc", gc_option)
        shot(page, artifacts_dir, "gen_02_uploaded")

        main(page).get_by_role("tab", name="4 · Classification").click()
        predict(page, "cnn_vs_kmers", "The CNN")
        expect(main(page).locator(".st-key-gen_cls_table")).to_be_visible(timeout=60_000)
        main(page).get_by_role("button", name="Train the CNN").click()
        expect(main(page).locator(".st-key-gen_cnn_final")).to_be_visible(timeout=120_000)
        verdicts = main(page).get_by_test_id("stAlert").filter(has_text="CNN")
        expect(verdicts.first).to_contain_text("Best k-mer model")
        settle(page)
        shot_at(page, artifacts_dir, "gen_03_cnn_curve", ".st-key-gen_cnn_final")

        main(page).get_by_role("tab", name="6 · Explanation").click()
        card = main(page).locator(".st-key-gen_q_card_top_kmer")
        first = card.get_by_role("radio").first
        click_until(first, lambda: expect(first).to_be_checked(), lambda r: r.click(force=True))
        click_until(
            card.get_by_role("button", name="Lock my prediction"),
            lambda: expect(first).to_be_disabled(),
        )
        settle(page)
        shap_chart = main(page).locator(".st-key-gen_exp_top .js-plotly-plot")
        expect(shap_chart).to_be_visible(timeout=60_000)
        bars = page.evaluate(
            "() => document.querySelector('.st-key-gen_exp_top .js-plotly-plot').data[0].y"
        )
        assert len(bars) == 15
        shot_at(page, artifacts_dir, "gen_04_shap", ".st-key-gen_exp_top")
        expect(main(page).locator(".st-key-gen_exp_map .js-plotly-plot")).to_be_visible()
        shot_at(page, artifacts_dir, "gen_05_saliency", ".st-key-gen_exp_map")
    assert_loopback_only(requests)
