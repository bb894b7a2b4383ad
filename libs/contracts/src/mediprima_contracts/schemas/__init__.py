"""JSON Schema export of every event version and the backward-compatibility check."""

from mediprima_contracts.schemas.compatibility import Incompatibility, find_incompatibilities

__all__ = ["Incompatibility", "find_incompatibilities"]
