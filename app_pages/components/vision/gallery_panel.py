"""The enrolled-face gallery: enrol on purpose, see what is stored (numbers, not photos),
identify a new photo against it, and delete one entry or everything."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_pages.components.numbers import table
from app_pages.components.session import num, tr
from app_pages.components.user_text import user_text
from app_pages.components.vision import question
from app_pages.components.vision.common import pick_image, safely, scan
from core.accounts import Actor
from core.vision import face, gallery, questions


def _enrol(actor: Actor, detector: str) -> None:
    with st.container(border=True, key="vision_enrol"):
        st.markdown(f"**{tr('vision.gallery.enrol_title')}**")
        image = pick_image("vision_enrol", "astronaut")
        name = st.text_input(
            tr("vision.gallery.name"), max_chars=gallery.NAME_LENGTH, key="vision_enrol_name"
        )
        consent = st.checkbox(tr("vision.gallery.consent"), key="vision_enrol_consent")
        if not st.button(
            tr("vision.gallery.enrol"), key="vision_enrol_go", disabled=image is None or not consent
        ):
            return
        assert image is not None
        found = safely(scan, image, detector)
        if found is None:
            return
        if found.largest is None:
            st.warning(tr("vision.error.no_face", which=tr("vision.face.first")))
            return
        if safely(gallery.enrol, actor, name, found.largest.embedding) is not None:
            st.success(
                tr("vision.gallery.enrolled", name=user_text(name)),
                icon=":material/how_to_reg:",
            )


def _first(embedding: Sequence[float]) -> str:
    """The first numbers of an embedding; "0,12; -0,05" where the comma is the decimal sign."""
    shown = [num(v, 2) for v in embedding[:4]]
    return ("; " if "," in num(0.5, 1) else ", ").join(shown)


def _stored(actor: Actor) -> list[gallery.Enrolled]:
    people = safely(gallery.enrolled, actor) or []
    st.markdown(f"**{tr('vision.gallery.stored', count=len(people))}**")
    for person in people:
        cols = st.columns([3, 3, 1])
        cols[0].markdown(user_text(person.name))
        cols[1].caption(tr("vision.gallery.numbers", first=_first(person.embedding)))
        if cols[2].button(
            tr("vision.gallery.delete"), key=f"vision_forget_{person.id}", icon=":material/delete:"
        ):
            safely(gallery.forget, actor, person.id)
            st.rerun()
    if people and st.button(
        tr("vision.gallery.delete_all"), key="vision_forget_all", icon=":material/delete_forever:"
    ):
        safely(gallery.forget, actor, None)
        st.rerun()
    return people


def _identify(people: list[gallery.Enrolled], detector: str) -> None:
    st.markdown(f"**{tr('vision.gallery.identify_title')}**")
    probe = pick_image("vision_probe", "grace_hopper")
    if probe is None:
        return
    found = safely(scan, probe, detector)
    if found is None or found.largest is None:
        return
    ranked = sorted(
        (face.cosine_distance(found.largest.embedding, p.embedding), p.name) for p in people
    )
    match = face.identify(
        found.largest.embedding, [(p.name, p.embedding) for p in people], found.threshold
    )
    if match is not None and match.accepted:
        name = user_text(match.name)
        st.success(tr("vision.gallery.match", name=name, distance=num(match.distance, 3)))
    else:
        st.info(tr("vision.gallery.no_match", threshold=num(found.threshold, 2)))
    ranking = pd.DataFrame(ranked, columns=[tr("vision.face.distance"), tr("vision.gallery.name")])
    table(ranking, 3, hide_index=True)


def render(actor: Actor, detector: str) -> None:
    texts = {o: tr(f"vision.q.privacy.{o}") for o in questions.QUESTIONS["privacy"].options}
    if question.predict(actor, "privacy", texts.__getitem__):
        question.check(
            actor, "privacy", questions.PRIVACY_TRUTH, texts.__getitem__, tr("vision.q.privacy.why")
        )
    _enrol(actor, detector)
    people = _stored(actor)
    if people:
        _identify(people, detector)
