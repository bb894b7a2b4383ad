import decision_registry.main  # noqa: F401 - registers every model on the metadata
from decision_registry.db import metadata
from servicekit.migrations import run_env

run_env(metadata)
