import consultation.main  # noqa: F401 - registers every model on the metadata
from consultation.db import metadata
from servicekit.migrations import run_env

run_env(metadata)
