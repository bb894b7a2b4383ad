import invoicing.main  # noqa: F401 - registers every model on the metadata
from invoicing.db import metadata
from servicekit.migrations import run_env

run_env(metadata)
