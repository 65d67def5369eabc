"""A single-node Apache Kafka 4 broker in KRaft mode, run from the Maven-resolved jars.

Used by `iot-pipeline stack up|down|status`, by `make dev`/`make demo`, and by the test fixtures
(on free ports, in a temp dir). Everything the broker writes stays under its `home` folder.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from iot_pipeline import paths

STATE_FILE = "broker.json"


class StackError(RuntimeError):
    """The broker could not be started or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    bootstrap_servers: str
    pid: int | None
    home: str
    message: str

    def describe(self) -> str:
        if self.running:
            return f"Kafka broker running at {self.bootstrap_servers} (pid {self.pid}, data in {self.home})"
        return f"Kafka broker not running ({self.message})"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
        return False


def find_java() -> str:
    """The java executable (JAVA_HOME first), checked to be Java 17 or newer."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise StackError(
            "Java 17+ is required to run the Kafka broker and Spark, and no `java` was found. "
            "Install a JDK (apt-get install openjdk-17-jdk-headless / brew install openjdk@17) "
            "or set JAVA_HOME."
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    if not match or int(match.group(1)) < 17:
        raise StackError(f"Java 17+ is required, {java} reports: {out.splitlines()[:1]}")
    return java


def _cluster_id() -> str:
    """16 random bytes, URL-safe base64 without padding, as kafka-storage makes them.

    Like Kafka's Uuid.randomUuid, never one that starts with '-': the storage tool's argument
    parser would take it for an option (1 start in 64 did, and the broker failed to format).
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still "exists"; treat it as dead.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class KafkaBroker:
    """One broker+controller node; `home` holds its config, data, logs and state file."""

    def __init__(
        self,
        home: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 9092,
        controller_port: int | None = None,
        heap: str = "512m",
    ) -> None:
        self.home = Path(home or paths.state_dir() / "kafka").resolve()
        self.host = host
        self.port = port
        self.controller_port = controller_port
        self.heap = heap

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def _state_path(self) -> Path:
        return self.home / STATE_FILE

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "server.log"

    # -- state -----------------------------------------------------------------------------------

    def _read_state(self) -> dict | None:
        try:
            return json.loads(self._state_path.read_text())
        except (OSError, ValueError):
            return None

    def _owned_pid(self) -> int | None:
        """The pid of the broker this home started, if it still runs (never someone else's)."""
        state = self._read_state()
        if not state:
            return None
        pid = int(state["pid"])
        if _pid_alive(pid) and str(self.home) in _cmdline(pid):
            return pid
        return None

    def status(self) -> BrokerStatus:
        state = self._read_state() or {}
        pid = self._owned_pid()
        bootstrap = state.get("bootstrap_servers", self.bootstrap_servers)
        if pid is None:
            return BrokerStatus(
                False, bootstrap, None, str(self.home), "no broker started from here"
            )
        if not self._answers(bootstrap, timeout=5):
            return BrokerStatus(
                False, bootstrap, pid, str(self.home), "process alive, not answering"
            )
        return BrokerStatus(True, bootstrap, pid, str(self.home), "ok")

    # -- lifecycle -------------------------------------------------------------------------------

    def up(self, timeout: float = 90.0) -> BrokerStatus:
        """Start the broker unless this home's broker already runs; wait until it answers."""
        pid = self._owned_pid()
        if pid is not None:
            state = self._read_state() or {}
            bootstrap = state.get("bootstrap_servers", self.bootstrap_servers)
            if bootstrap != self.bootstrap_servers:
                raise StackError(
                    f"a broker from {self.home} already runs at {bootstrap}; "
                    "run `iot-pipeline stack down` first to move it"
                )
            self._wait_until_ready(pid, timeout)
            return self.status()

        java = find_java()
        classpath = ":".join(str(j) for j in paths.jars("kafka"))
        if port_in_use(self.host, self.port):
            raise StackError(
                f"port {self.port} on {self.host} is already in use by another process "
                f"(another Kafka?); stop it or choose another port with --port"
            )
        controller_port = (
            self.controller_port or self._previous_controller_port() or free_port(self.host)
        )
        config = self._write_config(controller_port)
        self._format_storage(java, classpath, config)

        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        cmd = [
            java,
            f"-Xmx{self.heap}",
            f"-Xms{self.heap}",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self._write_log_config()}",
            f"-Dkafka.logs.dir={self.log_file.parent}",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(config),
        ]
        with open(self.log_file.parent / "stdout.log", "ab") as out:
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.home
            )
        state = {
            "pid": proc.pid,
            "bootstrap_servers": self.bootstrap_servers,
            "started_at": time.time(),
        }
        self._state_path.write_text(json.dumps(state))
        self._wait_until_ready(proc.pid, timeout)
        return self.status()

    def down(self, timeout: float = 30.0) -> bool:
        """Stop the broker this home started; True if one was stopped. Never touches others."""
        pid = self._owned_pid()
        if pid is None:
            self._state_path.unlink(missing_ok=True)
            return False
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _pid_alive(pid):
            self._reap(pid)
            time.sleep(0.2)
        if _pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
            time.sleep(0.5)
            self._reap(pid)
        self._state_path.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """kill -9 the broker (fault tests); its data stays, so `up` restarts it with the same topics."""
        pid = self._owned_pid()
        if pid is not None:
            os.killpg(pid, signal.SIGKILL)
            for _ in range(50):
                self._reap(pid)
                if not _pid_alive(pid):
                    break
                time.sleep(0.1)

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _reap(pid: int) -> None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)

    def _previous_controller_port(self) -> int | None:
        """Reuse the controller port of an earlier start, so the KRaft quorum keeps its address."""
        config = self.home / "server.properties"
        if not config.exists():
            return None
        for line in config.read_text().splitlines():
            if line.startswith("controller.quorum.voters="):
                port = int(line.rsplit(":", 1)[1])
                return None if port_in_use(self.host, port) else port
        return None

    def _write_config(self, controller_port: int) -> Path:
        data = self.home / "data"
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{self.host}:{controller_port}",
            "listeners": f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(data),
            "num.partitions": "3",
            "auto.create.topics.enable": "true",
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "log.retention.hours": "168",
        }
        self.home.mkdir(parents=True, exist_ok=True)
        path = self.home / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        return path

    def _write_log_config(self) -> Path:
        path = self.home / "log4j2.properties"
        path.write_text(
            "\n".join(
                [
                    "status = error",
                    "appender.file.type = File",
                    "appender.file.name = file",
                    f"appender.file.fileName = {self.log_file}",
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = file",
                    "logger.kafka.name = kafka",
                    "logger.kafka.level = WARN",
                    "logger.apache.name = org.apache.kafka",
                    "logger.apache.level = WARN",
                    "",
                ]
            )
        )
        return path

    def _format_storage(self, java: str, classpath: str, config: Path) -> None:
        """Format the KRaft metadata log once; reformatting would lose the topics."""
        data = self.home / "data"
        if (data / "meta.properties").exists():
            return
        proc = subprocess.run(
            [java, "-cp", classpath, "kafka.tools.StorageTool", "format",
             "-t", _cluster_id(), "-c", str(config)],
            capture_output=True, text=True,
        )  # fmt: skip
        if proc.returncode != 0:
            raise StackError(f"kafka-storage format failed: {(proc.stderr or proc.stdout).strip()}")

    def _wait_until_ready(self, pid: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                self._reap(pid)
                raise StackError(f"the Kafka broker exited during start-up:\n{self._log_tail()}")
            if self._answers(self.bootstrap_servers, timeout=3):
                return
            time.sleep(0.5)
        raise StackError(
            f"the Kafka broker did not answer on {self.bootstrap_servers} within {timeout:.0f}s; "
            f"see {self.log_file}"
        )

    @staticmethod
    def _answers(bootstrap: str, timeout: float) -> bool:
        """True when the broker serves metadata (not merely an open port)."""
        from kafka import KafkaAdminClient
        from kafka.errors import KafkaError

        host, port = bootstrap.rsplit(":", 1)
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                pass
        except OSError:
            return False
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=bootstrap,
                request_timeout_ms=int(timeout * 1000),
            )
        except (KafkaError, OSError):
            return False
        try:
            admin.list_topics()
            return True
        except (KafkaError, OSError):
            return False
        finally:
            admin.close()

    def _log_tail(self, lines: int = 30) -> str:
        chunks = []
        for name in ("stdout.log", "server.log"):
            path = self.log_file.parent / name
            if path.exists():
                chunks.extend(path.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(chunks) or "(no log output)"


def broker_info(status: BrokerStatus) -> dict:
    return asdict(status)
