"""Form fields more than one page asks for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form

# A person's number is sent in the form's body, so it stays out of URLs and browser history.
SsinField = Annotated[str, Form(pattern=r"^\d{11}$")]
