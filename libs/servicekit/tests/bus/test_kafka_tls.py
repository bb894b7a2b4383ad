"""MEDIPRIMA_KAFKA_SSL_CAFILE: with SASL_SSL a service trusts the brokers' certificate only when
the CA in that file signed it for the host it dialled (Strimzi's cluster CA on Kubernetes).

A TLS server on loopback stands in for the broker's listener: the handshake is the client's
TLS, whatever protocol follows."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from servicekit.bus.kafka_security import KafkaSecurity

BROKER = "mediprima-kafka-bootstrap"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: str, key: ec.EllipticCurvePrivateKey, issuer: tuple[str, ec.EllipticCurvePrivateKey]
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer[0]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    if subject == issuer[0]:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(BROKER)]), False)
    return builder.sign(issuer[1], hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _ca(directory: Path, name: str) -> tuple[Path, tuple[str, ec.EllipticCurvePrivateKey]]:
    key = ec.generate_private_key(ec.SECP256R1())
    path = directory / f"{name}.crt"
    path.write_bytes(_pem(_certificate(name, key, (name, key))))
    return path, (name, key)


@asynccontextmanager
async def tls_listener(
    directory: Path, ca: tuple[str, ec.EllipticCurvePrivateKey]
) -> AsyncIterator[int]:
    key = ec.generate_private_key(ec.SECP256R1())
    chain, private = directory / "broker.crt", directory / "broker.key"
    chain.write_bytes(_pem(_certificate(BROKER, key, ca)))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain, private)

    async def greet(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"hello")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(greet, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def dial(security: KafkaSecurity, port: int, host_name: str) -> bytes:
    context = security.client_options()["ssl_context"]
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, ssl=context, server_hostname=host_name
    )
    try:
        return await reader.read(5)
    finally:
        writer.close()


def sasl_ssl(cafile: Path) -> KafkaSecurity:
    return KafkaSecurity(
        security_protocol="SASL_SSL",
        sasl_username="consultation",
        sasl_password=SecretStr("x"),
        ssl_cafile=cafile,
    )


async def test_the_broker_is_trusted_when_the_ca_file_signed_it_for_its_name(
    tmp_path: Path,
) -> None:
    cafile, ca = _ca(tmp_path, "cluster-ca")

    async with tls_listener(tmp_path, ca) as port:
        greeting = await dial(sasl_ssl(cafile), port, BROKER)

    assert greeting == b"hello"


async def test_a_broker_signed_by_another_ca_or_for_another_name_is_refused(
    tmp_path: Path,
) -> None:
    _, ca = _ca(tmp_path, "cluster-ca")
    other_cafile, _ = _ca(tmp_path, "other-ca")
    right_cafile = tmp_path / "cluster-ca.crt"

    async with tls_listener(tmp_path, ca) as port:
        with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer"):
            await dial(sasl_ssl(other_cafile), port, BROKER)
        with pytest.raises(ssl.SSLCertVerificationError, match="match"):
            await dial(sasl_ssl(right_cafile), port, "someone-else")
