"""The security suite (issue 20): hostile input against core, the pages (AppTest) and the real
stack (Playwright). The app fixtures are the page suite's."""

from tests.app.conftest import _clear_missing, seed  # noqa: F401 - fixtures shared with tests/app
