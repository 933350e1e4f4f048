"""`python -m core.db [URL]`: migrate the configured (or given) database to the newest schema."""

import sys

from sqlalchemy.engine import make_url

from core.config import load_settings
from core.db.migrate import upgrade_to_head

target = sys.argv[1] if len(sys.argv) > 1 else load_settings().database_url
upgrade_to_head(target)
print(f"database at head: {make_url(target)!r}")
