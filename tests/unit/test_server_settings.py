"""The web server's settings from the environment (server/settings.py): what `make run` starts."""
from __future__ import annotations

import os

from granian.constants import HTTPModes, Interfaces, SSLProtocols

from cli.tls import make_certificate
from server.settings import HEADER_TIMEOUT_S, granian_options, threads


def test_defaults_listen_on_localhost_with_a_process_per_core_and_the_header_timeout():
    options = granian_options({})
    assert (options["address"], options["port"]) == ("127.0.0.1", 5000)
    assert options["workers"] == os.cpu_count()
    assert options["interface"] == Interfaces.ASGINL and options["http"] == HTTPModes.http1
    assert options["http1_settings"].header_read_timeout == HEADER_TIMEOUT_S * 1000
    assert "ssl_cert" not in options
    assert threads({}) == 8 and threads({"WEB_THREADS": "3"}) == 3


def test_https_serves_tls_from_the_given_certificate_down_to_tls_1_2(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_certificate(cert, key)
    options = granian_options({"HTTPS": "1", "TLS_CERT": str(cert), "TLS_KEY": str(key), "HOST": "0.0.0.0",
                               "PORT": "8443", "WEB_CONCURRENCY": "3"})
    assert (options["ssl_cert"], options["ssl_key"]) == (cert, key)
    assert options["ssl_protocol_min"] == SSLProtocols.tls12
    assert (options["address"], options["port"], options["workers"]) == ("0.0.0.0", 8443, 3)


def test_behind_a_proxy_https_leaves_tls_to_the_proxy():
    assert "ssl_cert" not in granian_options({"HTTPS": "1", "PROXY_HOPS": "1"})
