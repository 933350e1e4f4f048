"""File uploads in the reader's language. Streamlit's drop zone writes its own English ("Drag and
drop file here", "25MB per file", "Upload") and refuses an oversized file with an English
message; it takes no texts. So the drop zone's words are replaced by ours with a small style
(the same words for every uploader on the page), the size limit is ours to check (Streamlit's
own limit is set well above it, so its English refusal only meets files that could never be
used), and the accepted types and limit are written below in the reader's language."""

from __future__ import annotations

import json
from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_pages.components.session import num, tr

# Streamlit may receive up to this many times our limit; ours refuses, translated, above 1×.
STREAMLIT_MARGIN = 4


def _drop_zone_style() -> None:
    drop = json.dumps(tr("upload.drop_here"))
    browse = json.dumps(tr("upload.browse"))
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > span {display: none}'
        '[data-testid="stFileUploaderDropzoneInstructions"] > div::before {'
        f"content: {drop}}}"
        '[data-testid="stFileUploaderDropzone"] button {font-size: 0}'
        '[data-testid="stFileUploaderDropzone"] button::after {'
        f"content: {browse}; font-size: 0.875rem}}"
        "</style>"
    )


def uploader(
    label: str, types: Sequence[str], key: str, max_mb: float, help: str | None = None
) -> UploadedFile | None:
    """One file, or None (nothing yet, or refused with a translated message)."""
    _drop_zone_style()
    file = st.file_uploader(
        label,
        type=list(types),
        key=key,
        help=help,
        max_upload_size=int(max_mb * STREAMLIT_MARGIN) + 1,
    )
    kinds = ", ".join(f".{t}" for t in types)
    st.caption(tr("upload.limits", types=kinds, size=num(max_mb, 0)))
    if file is not None and file.size > max_mb * 2**20:
        st.error(
            tr("upload.too_big", size=num(file.size / 2**20, 1), limit=num(max_mb, 0)),
            icon=":material/block:",
        )
        return None
    return file
