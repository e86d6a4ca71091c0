"""The README's reverse proxy configuration, run as it is with Debian's nginx in front of the
app: TLS, the security headers, the WebSocket, and the client's address as the app counts it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.base import config
from metrics.base.access import Actor
from metrics.storage.store import Store
from tests.conftest import CHROMIUM
from tests.test_browser import free_port, prepared_database, running_app, wait_for_text

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(NGINX).exists(),
        reason="Debian's nginx is not installed (apt-get install nginx; .ci/run installs it)",
    ),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (CI installs it)"
    ),
]


def readme_config() -> str:
    """The nginx block of the README's section on the reverse proxy."""
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Behind a reverse proxy", 1)[1]
    found = re.search(r"```nginx\n(.*?)```", section, re.S)
    assert found, "the README ships no nginx configuration"
    return found.group(1)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (what Let's Encrypt gives a real install)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "impact.example.org")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "fullchain.pem", folder / "privkey.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def nginx_conf(folder: Path, app_port: int, http_port: int, https_port: int) -> Path:
    """The README's block on loopback ports, inside the least of an nginx.conf."""
    cert, key = self_signed(folder)
    block = readme_config()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("/etc/letsencrypt/live/impact.example.org/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/impact.example.org/privkey.pem", str(key)),
        ("127.0.0.1:8501", f"127.0.0.1:{app_port}"),
    ):
        assert old in block, old
        block = block.replace(old, new)
    temp = folder / "temp"
    temp.mkdir()
    temp.chmod(0o777)
    paths = "\n".join(
        f"{kind}_temp_path {temp}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{paths}\n{block}\n}}\n"
    )
    return conf


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(https address, http address, database) of the app behind the README's nginx."""
    folder = tmp_path_factory.mktemp("proxy")
    db = prepared_database(folder)
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    conf = nginx_conf(folder, app_port, http_port, https_port)
    env = {"IMPACT_DB": str(db), "IMPACT_TRUSTED_PROXIES": "127.0.0.1"}
    with running_app(folder, env, port=app_port):
        test = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        nginx = subprocess.Popen(
            [NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"https://127.0.0.1:{https_port}"
        try:
            for _ in range(50):
                try:
                    fetch(f"{url}/_stcore/health")
                    break
                except OSError:
                    time.sleep(0.2)
            yield url, f"http://127.0.0.1:{http_port}", db
        finally:
            nginx.terminate()
            nginx.wait(timeout=20)


def fetch(url: str) -> tuple[int, dict[str, str]]:
    """Status and headers of a GET, the certificate (self-signed) not checked, no redirect
    followed."""

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    unchecked = ssl.create_default_context()
    unchecked.check_hostname = False
    unchecked.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=unchecked), Keep())
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


def test_the_proxy_brings_tls_and_the_security_headers(proxied: tuple[str, str, Path]) -> None:
    url, plain, _ = proxied
    status, headers = fetch(url)
    assert status == 200
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    status, headers = fetch(f"{plain}/comptes")
    assert status == 301 and headers["Location"].startswith("https://")


def test_pages_load_through_the_proxy_and_count_its_client(  # type: ignore[no-untyped-def]
    proxied: tuple[str, str, Path], browser
) -> None:
    url, _, db = proxied
    # a client that names another address in its own headers changes nothing
    context = browser.new_context(
        ignore_https_errors=True,
        locale="fr-FR",
        extra_http_headers={"X-Forwarded-For": "6.6.6.6", "X-Real-IP": "6.6.6.6"},
    )
    try:
        page = context.new_page()
        page.goto(url)
        wait_for_text(page, "Avec un mot de passe")  # drawn over the WebSocket
        page.get_by_label("Adresse e-mail").fill("nobody@test.example")
        page.get_by_label("Mot de passe", exact=True).fill("not the password")
        page.get_by_role("button", name="Se connecter", exact=True).click()
        wait_for_text(page, "Adresse e-mail ou mot de passe incorrect")
        cookie_script = page.evaluate("() => document.cookie")
        assert "impact_session" not in cookie_script  # nothing before a sign-in
    finally:
        context.close()
    with Store(str(db)) as store:
        log = store.audit(Actor.system("t"))
    failed = log[(log["action"] == "sign_in_failed") & (log["object"] == "nobody@test.example")]
    assert [json.loads(d)["client"] for d in failed["details"]] == ["127.0.0.1"]
