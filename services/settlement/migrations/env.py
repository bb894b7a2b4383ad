import settlement.main  # noqa: F401 - registers every model on the metadata
from servicekit.migrations import run_env
from settlement.db import metadata

run_env(metadata)
