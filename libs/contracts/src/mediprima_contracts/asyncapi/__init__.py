"""The AsyncAPI 3 document of every topic and event version, as committed in
`libs/contracts/asyncapi.json` and served by every service at `/asyncapi.json`."""

from mediprima_contracts.asyncapi.document import DOCUMENT_PATH, asyncapi_document, render

__all__ = ["DOCUMENT_PATH", "asyncapi_document", "render"]
