"""A real Neo4j Community server for the test session, without Docker.

Why this exists: the project's tests must talk to a real Neo4j 5.26 (never a
mock), and CI machines have Java and Maven but no Docker. So the server's jars
are fetched once from Maven Central with a throwaway POM
(`mvn dependency:copy-dependencies`), cached outside the repository, and the
server is started with `java -cp 'lib/*' org.neo4j.server.CommunityEntryPoint`
and a generated `neo4j.conf` in a temporary folder: loopback-only ports, auth
on with a random password, small memory.

Use from pytest (see `conftest.py`) or by hand:

    python tests/neo4j_server.py          # starts one, prints URI/user/password, Ctrl-C stops

    from neo4j_server import start_server
    server = start_server()
    ...; server.kill(); server.start()    # same data, same ports (crash/restart tests)
    server.cleanup()                       # stop and delete the temporary folder

Environment: KG_NEO4J_HOME overrides the cache folder (default
~/.cache/kg/neo4j-<version>), KG_NEO4J_VERSION the 5.26.x release.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

NEO4J_VERSION = os.environ.get("KG_NEO4J_VERSION", "5.26.30")
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
USER = "neo4j"
_COMPLETE = ".complete"  # marker: the lib folder was fetched to the end

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kg.test</groupId><artifactId>neo4j-fetch</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId>
      <version>{version}</version></dependency>
  </dependencies>
</project>
"""


class Neo4jServerError(RuntimeError):
    """The test server could not be fetched or started (tests must fail, not skip)."""


# -- fetching ---------------------------------------------------------------------------


def neo4j_home(version: str = NEO4J_VERSION) -> Path:
    """Where the jars live: outside the repo, so every checkout and run reuses them."""
    override = os.environ.get("KG_NEO4J_HOME")
    if override:
        return Path(override).expanduser()
    return Path.home() / ".cache" / "kg" / f"neo4j-{version}"


def fetch_neo4j(version: str = NEO4J_VERSION, home: Path | None = None) -> Path:
    """Make sure `home/lib` holds the server's jars, fetching them once.

    A file lock serialises concurrent test sessions; the `.complete` marker
    makes an interrupted fetch start over instead of leaving half a classpath.
    """
    home = home or neo4j_home(version)
    lib = home / "lib"
    if (home / _COMPLETE).exists():
        return home
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (home / _COMPLETE).exists():
            return home
        if shutil.which("mvn") is None:
            raise Neo4jServerError(
                "cannot fetch Neo4j: `mvn` is not on PATH (need Maven + Java 17)"
            )
        with tempfile.TemporaryDirectory(prefix="kg-neo4j-fetch-") as tmp:
            (Path(tmp) / "pom.xml").write_text(_POM.format(version=version))
            staging = Path(tmp) / "lib"
            cmd = [
                "mvn", "-B", "-q", "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}", "-DincludeScope=runtime", "-DexcludeTypes=pom",
            ]  # fmt: skip
            done = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, check=False)
            if done.returncode != 0 or not any(staging.glob("neo4j-server-*.jar")):
                tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
                raise Neo4jServerError(
                    f"fetching org.neo4j:neo4j:{version} with Maven failed:\n" + "\n".join(tail)
                )
            if lib.exists():
                shutil.rmtree(lib)
            shutil.move(str(staging), lib)
        (home / _COMPLETE).write_text(version + "\n")
    return home


# -- running ----------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now (tiny race, acceptable for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _conf(workdir: Path, bolt_port: int, http_port: int, pagecache: str, auth: bool) -> str:
    dirs = {
        name: workdir / name for name in ("data", "logs", "run", "import", "plugins", "licenses")
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    lines = [f"server.directories.{name}={path}" for name, path in dirs.items()]
    lines += [
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        "server.bolt.enabled=true",
        f"server.http.listen_address=127.0.0.1:{http_port}",
        f"server.http.advertised_address=127.0.0.1:{http_port}",
        "server.http.enabled=true",
        "server.https.enabled=false",
        f"server.memory.pagecache.size={pagecache}",
        "db.tx_log.rotation.retention_policy=1 files",
        "dbms.usage_report.enabled=false",
        f"dbms.security.auth_enabled={'true' if auth else 'false'}",
        "dbms.security.auth_max_failed_attempts=0",  # no lock-out after wrong-password tests
    ]
    return "\n".join(lines) + "\n"


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the starting process dies, so
    a killed test run leaves no orphan JVM behind (Linux only; no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class RunningNeo4j:
    """One server process over one temporary data folder; stop/start keep the data."""

    home: Path
    workdir: Path
    bolt_port: int
    http_port: int
    password: str | None
    user: str = USER
    heap: str = "512m"
    #: True only between the first start and the password change: no query allowed yet
    password_expired: bool = False
    #: C1 only: a much faster start on 2 cores; drop it for long benchmarks
    jvm_options: list[str] = field(default_factory=lambda: ["-XX:TieredStopAtLevel=1"])
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_uri(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.password is not None else None

    @property
    def console_log(self) -> Path:
        return self.workdir / "console.log"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 180.0) -> RunningNeo4j:
        """Launch the JVM (again) on the same conf and data; wait until Bolt answers."""
        if self.is_running():
            return self
        java = shutil.which("java")
        if java is None:
            raise Neo4jServerError("cannot start Neo4j: `java` (17+) is not on PATH")
        cmd = [
            java, f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC", *self.jvm_options,
            "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true",
            "-cp", str(self.home / "lib" / "*"), ENTRY_POINT,
            f"--home-dir={self.home}", f"--config-dir={self.workdir / 'conf'}",
        ]  # fmt: skip
        with open(self.console_log, "ab") as out:
            self.process = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=self.workdir, start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip
        self._wait_for_bolt(timeout)
        return self

    def _wait_for_bolt(self, timeout: float) -> None:
        import neo4j  # noqa: PLC0415 - only needed once a server runs

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if not self.is_running():
                raise Neo4jServerError(
                    f"Neo4j exited with code {self.process.returncode if self.process else '?'}"
                    f" before Bolt answered; log tail:\n{self.log_tail()}"
                )
            try:
                with neo4j.GraphDatabase.driver(self.uri, auth=self.auth) as driver:
                    driver.verify_connectivity()
                    if not self.password_expired:
                        # Bolt may answer before the default database is online
                        driver.execute_query("RETURN 1")
                return
            except Exception as exc:  # noqa: BLE001 - keep polling until the deadline
                last = exc
                time.sleep(0.5)
        self.stop()
        raise Neo4jServerError(
            f"Neo4j did not answer on {self.uri} within {timeout:.0f}s ({last!r}); "
            f"log tail:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 60.0) -> None:
        """Shut down cleanly (SIGTERM to the process group), SIGKILL if it hangs."""
        self._signal(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait(10)

    def kill(self) -> None:
        """Die like a crash (SIGKILL, no checkpoint): for recovery tests."""
        self._signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(30)

    def _signal(self, sig: signal.Signals) -> None:
        if self.is_running() and self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)

    def cleanup(self) -> None:
        """Kill the server and delete the temporary folder (data, logs, conf).

        SIGKILL, not a clean stop: the data is thrown away, and a clean
        shutdown (checkpoint) costs ~10 s per session on a small machine."""
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        texts = []
        for path in (self.console_log, self.workdir / "logs" / "neo4j.log"):
            if path.exists():
                texts.extend(path.read_text(errors="replace").splitlines())
        return "\n".join(texts[-lines:]) or "(no server log)"


def _set_password(server: RunningNeo4j) -> None:
    """Replace the expired default password with the generated one, over Bolt.

    Done through the driver rather than `neo4j-admin dbms set-initial-password`
    so the password never appears on a command line and no second JVM starts.
    """
    import neo4j  # noqa: PLC0415

    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, "neo4j")) as driver:
        driver.execute_query(
            "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
            old="neo4j",
            new=server.password,
            database_="system",
        )


def start_server(
    version: str = NEO4J_VERSION,
    *,
    auth: bool = True,
    heap: str = "512m",
    pagecache: str = "64m",
    timeout: float = 180.0,
) -> RunningNeo4j:
    """Fetch (once), configure and start a server; returns when Bolt answers."""
    home = fetch_neo4j(version)
    workdir = Path(tempfile.mkdtemp(prefix="kg-neo4j-"))
    (workdir / "conf").mkdir()
    server = RunningNeo4j(
        home=home,
        workdir=workdir,
        bolt_port=free_port(),
        http_port=free_port(),
        password=secrets.token_urlsafe(18) if auth else None,
        heap=heap,
    )
    conf = _conf(workdir, server.bolt_port, server.http_port, pagecache, auth)
    (workdir / "conf" / "neo4j.conf").write_text(conf)
    atexit.register(server.cleanup)
    try:
        if auth:
            # the default user's password is "neo4j" and expired until changed
            password, server.password = server.password, "neo4j"
            server.password_expired = True
            server.start(timeout)
            server.password, server.password_expired = password, False
            _set_password(server)
            server._wait_for_bolt(timeout)
        else:
            server.start(timeout)
    except BaseException:
        server.cleanup()
        raise
    return server


def main() -> int:
    """Start one server and keep it until Ctrl-C or SIGTERM (for trying Cypher by hand)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # explicit handlers: a background job's SIGINT is ignored by default
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    began = time.monotonic()
    server = start_server()
    print(f"NEO4J_URI={server.uri}")
    print(f"NEO4J_USERNAME={server.user}")
    print(f"NEO4J_PASSWORD={server.password}")
    print(f"# http: {server.http_uri}  data: {server.workdir}")
    print(f"# started in {time.monotonic() - began:.1f}s; Ctrl-C stops it", flush=True)
    try:
        while server.is_running():
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
