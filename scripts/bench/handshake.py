# SPDX-License-Identifier: MPL-2.0
"""Handshake timing: the time from spawning the provider, with the environment Terraform
gives it (magic cookie, PLUGIN_PROTOCOL_VERSIONS=5,6 and an AutoMTLS client certificate), to
the go-plugin handshake line on its stdout. The client certificate is made once, the way
Terraform makes it (ECDSA P-521, self-signed, CA:TRUE, SAN localhost), with openssl or, if
that is missing, Python's `cryptography`. Runnable alone: handshake.py BINARY [RUNS].
"""

import os
import shutil
import signal
import subprocess
import sys
import time

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


class HandshakeError(Exception):
    """The provider did not print a valid handshake line."""


def client_cert_pem(scratch_dir):
    """A PEM certificate like the one Terraform puts in PLUGIN_CLIENT_CERT."""
    if shutil.which("openssl"):
        key = os.path.join(scratch_dir, "client.key")
        cert = os.path.join(scratch_dir, "client.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp521r1",
             "-sha512", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
             "-subj", "/O=HashiCorp/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=digitalSignature,keyEncipherment,keyAgreement,keyCertSign",
             "-addext", "extendedKeyUsage=clientAuth,serverAuth"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(cert, encoding="ascii") as f:
            return f.read()
    return _client_cert_pem_cryptography()


def _client_cert_pem_cryptography():
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as err:
        raise HandshakeError("need openssl or Python's cryptography package to make "
                             "the AutoMTLS client certificate") from err
    import datetime
    key = ec.generate_private_key(ec.SECP521R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(seconds=30))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                  ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .sign(key, hashes.SHA512()))
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def plugin_env(cert_pem):
    """Terraform's additions to the provider's environment (cert_pem None: AutoMTLS off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PLUGIN_"))}
    env.update(TF_PLUGIN_MAGIC_COOKIE=MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS="5,6",
               PLUGIN_MIN_PORT="10000", PLUGIN_MAX_PORT="25000")
    if cert_pem is not None:
        env["PLUGIN_CLIENT_CERT"] = cert_pem
    return env


def check_line(line, tls):
    """Validates a go-plugin handshake line: CORE|APP|NETWORK|ADDRESS|grpc|CERT."""
    fields = line.rstrip("\n").split("|")
    ok = (len(fields) == 6 and fields[0] == "1" and fields[1] in ("5", "6")
          and fields[2] in ("unix", "tcp") and fields[4] == "grpc"
          and (len(fields[5]) > 50) == tls)
    if not ok:
        raise HandshakeError("not a valid handshake line: %r" % line[:200])


def time_once(argv, env, validate=None):
    """Seconds from spawn to the first stdout line; then stops the process (SIGTERM, which
    the provider answers by exiting and removing its socket; SIGKILL after 5 s)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    line = proc.stdout.readline().decode("utf-8", "replace")
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()
    if validate is not None:
        validate(line)
    return elapsed


def measure(binary, runs, cert_pem, floor=None, linked=None):
    """Returns {'tls': [s...], 'plaintext': [s...], 'spawn_floor': [s...], 'floor_tls': [s...],
    'linked_tls': [s...]}.

    'plaintext' (no PLUGIN_CLIENT_CERT) splits out the TLS cost; 'spawn_floor' times
    /bin/echo through the same code, i.e. what the harness itself costs; 'floor_tls' times
    the plugin floor binary `floor` (when given) interleaved with the provider, and
    'linked_tls' the floor linked with the provider's code, `linked` (when given)."""
    tls_env = plugin_env(cert_pem)
    plain_env = plugin_env(None)
    echo = shutil.which("echo") or "/bin/echo"
    results = {"tls": [], "plaintext": [], "spawn_floor": [], "floor_tls": [], "linked_tls": []}
    # One untimed run each, so the page cache holds the binary.
    time_once([binary], tls_env, lambda line: check_line(line, True))
    time_once([binary], plain_env, lambda line: check_line(line, False))
    others = [(key, exe) for key, exe in (("floor_tls", floor), ("linked_tls", linked)) if exe]
    for _, exe in others:
        time_once([exe], tls_env, lambda line: check_line(line, True))
    for _ in range(runs):
        for key, exe in others:
            results[key].append(time_once([exe], tls_env, lambda line: check_line(line, True)))
        results["tls"].append(time_once([binary], tls_env, lambda line: check_line(line, True)))
        results["plaintext"].append(
            time_once([binary], plain_env, lambda line: check_line(line, False)))
        results["spawn_floor"].append(time_once([echo, "1|6|unix|/x|grpc|"], plain_env))
    return results


def main(argv):
    import statistics
    import tempfile
    if len(argv) < 2:
        print("usage: handshake.py BINARY [RUNS]", file=sys.stderr)
        return 2
    runs = int(argv[2]) if len(argv) > 2 else 50
    with tempfile.TemporaryDirectory() as scratch:
        results = measure(argv[1], runs, client_cert_pem(scratch))
    for name, values in results.items():
        print("%-12s median %.2f ms  min %.2f  max %.2f" % (
            name, 1e3 * statistics.median(values), 1e3 * min(values), 1e3 * max(values)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
