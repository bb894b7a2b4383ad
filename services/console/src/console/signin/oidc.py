"""Signing in with OpenID Connect: the authorisation code flow, with PKCE, `state` and `nonce`,
against the platform's issuer (the one whose tokens the five services verify), through authlib.

The console keeps the access token the issuer gave and calls the services with it, exactly as
GP and OCMW software do: it verifies that token as the services will (signature against the
issuer's published keys, issuer, audience, `role`, `sub`) before it opens a session, so a user
whose account the services would refuse is told so at once, not on every page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth
from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from joserfc.errors import JoseError

from servicekit.auth import Principal, TokenVerifier
from servicekit.errors import Unauthorized
from servicekit.keysets import RemoteKeySet

CALLBACK_PATH = "/sign-in/callback"
SIGNED_OUT_PATH = "/sign-in"
_CLIENT = "issuer"


class SignInFailed(Exception):
    """The flow did not complete: the issuer refused or the user cancelled, the answer does not
    belong to this browser's flow (`state`), or the tokens did not check out."""


class NoMediPrimaRole(Exception):
    """The issuer signed the user in, but its token would not open the services (no `role`, the
    wrong audience) or names a role the console has no pages for."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    principal: Principal
    access_token: str
    expires_at: float
    id_token: str | None


class OidcSignIn:
    """The console as a relying party of `issuer`, registered there as `client_id`."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        client_id: str,
        client_secret: str,
        public_url: str,
        scope: str = "openid",
    ) -> None:
        self._issuer, self._audience = issuer.rstrip("/"), audience
        self._public_url = public_url.rstrip("/")
        self._oauth = OAuth()
        self._oauth.register(
            _CLIENT,
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{self._issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": scope, "code_challenge_method": "S256"},
        )
        self._verifier: TokenVerifier | None = None

    @property
    def _client(self) -> Any:
        return self._oauth.create_client(_CLIENT)

    async def start(self, request: Request) -> Response:
        """Sends the browser to the issuer's sign-in page; `state`, `nonce` and the PKCE
        verifier wait in this browser's session for the answer."""
        return await self._client.authorize_redirect(  # type: ignore[no-any-return]
            request, f"{self._public_url}{CALLBACK_PATH}"
        )

    async def complete(self, request: Request) -> SignedIn:
        """Exchanges the code the issuer sent back for tokens; the ID token is checked by authlib
        (signature, issuer, audience, expiry, nonce) and the access token as the services do."""
        try:
            tokens: dict[str, Any] = await self._client.authorize_access_token(request)
        # The issuer's refusal, another flow's `state`, an ID token that does not check out
        # (signature, nonce, audience, expiry: joserfc's errors) or no ID token at all.
        except (AuthlibBaseError, JoseError, ValueError, KeyError) as exc:
            raise SignInFailed(type(exc).__name__) from exc
        access_token = tokens.get("access_token")
        if not isinstance(access_token, str):
            raise SignInFailed("no access token")
        try:
            verified = await (await self._token_verifier()).verified(access_token)
        except Unauthorized as exc:
            raise NoMediPrimaRole from exc
        return SignedIn(
            verified.principal,
            access_token,
            expires_at=verified.expires_at,  # the token's own `exp`: `expires_in` is optional
            id_token=tokens.get("id_token"),
        )

    async def sign_out(self, id_token: str | None) -> Response:
        """Ends the session at the issuer too (RP-initiated logout), which sends the browser back
        to the console's sign-in page (whose session is already cleared: nothing to check
        there on the way back)."""
        logout = await self._client.create_logout_url(
            post_logout_redirect_uri=f"{self._public_url}{SIGNED_OUT_PATH}",
            id_token_hint=id_token,
            client_id=self._client.client_id,
        )
        return RedirectResponse(logout["url"], status_code=303)

    async def _token_verifier(self) -> TokenVerifier:
        if self._verifier is None:
            metadata = await self._client.load_server_metadata()
            self._verifier = TokenVerifier(
                keys=RemoteKeySet(metadata["jwks_uri"]),
                issuer=self._issuer,
                audience=self._audience,
            )
        return self._verifier
