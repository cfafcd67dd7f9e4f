"""The production shape on one machine, each part on free ports and in a temporary directory of its
own: a private PostgreSQL cluster (never the machine's shared server), Redis, gunicorn app servers
with deploy/gunicorn.conf.py, nginx with a configuration rendered from deploy/nginx, RQ workers.
Every process is started in a session of its own so that it and its children can be stopped."""
from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
DEPLOY = ROOT / "deploy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise TimeoutError(f"{what} not ready after {timeout} s")


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        return requests.get(url, timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


class Process:
    """A child process in a session of its own, its output in a log file."""

    def __init__(self, name: str, args: list[str], *, log: Path, env: dict | None = None, cwd: Path = ROOT):
        self.name, self.args, self.log, self.env, self.cwd = name, args, log, env, cwd
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        out = open(self.log, "ab")
        self.popen = subprocess.Popen(self.args, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        return self

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def children(self, pid: int | None = None) -> list[int]:
        pid = pid or self.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def descendants(self, pid: int | None = None) -> list[int]:
        found = []
        for child in self.children(pid):
            found += [child, *self.descendants(child)]
        return found

    def send(self, sig: int) -> None:
        if self.alive():
            os.kill(self.pid, sig)

    def kill_group(self) -> None:
        """SIGKILL to the process and everything it started (a machine dying), also children in
        sessions of their own (RQ's work horse calls setsid)."""
        if self.popen is not None:
            for pid in [self.pid, *self.descendants()]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if not self.alive():
            return
        self.send(sig)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()


# -- PostgreSQL -----------------------------------------------------------------------------------
def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError(f"{name} not found under /usr/lib/postgresql/*/bin (install Debian's postgresql)")
    return found[-1]


class Postgres:
    """A cluster of its own (initdb) on a free port; as root it runs as the postgres user."""

    def __init__(self, base: Path):
        self.dir = base / "pgdata"
        self.sockets = base / "pgsock"
        self.log = base / "postgres.log"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/minhang"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self.dir.mkdir()
        self.sockets.mkdir()
        self.log.touch()
        if self.as_user:
            postgres = pwd.getpwnam("postgres")
            for path in (self.dir, self.sockets, self.log):
                os.chown(path, postgres.pw_uid, postgres.pw_gid)
        self._run(_pg_bin("initdb"), "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-locale")
        self.start()
        self._run(_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "minhang")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-l", str(self.log), "-w", "-o", options, "start")

    def restart_fast(self) -> None:
        """pg_ctl restart -m fast: connections are ended, the server stops and starts again."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-l", str(self.log), "-w", "-m", "fast", "restart")

    def ready(self) -> bool:
        return subprocess.run([_pg_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]).returncode == 0

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-w", "-m", "immediate", "stop", check=False)


# -- Redis ----------------------------------------------------------------------------------------
def redis(base: Path) -> tuple[Process, str]:
    port = free_port()
    process = Process("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(base)], log=base / "redis.log").start()
    wait_until(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0,
               10, "redis")
    return process, f"redis://127.0.0.1:{port}/0"


# -- app servers and workers ----------------------------------------------------------------------
def app_server(name: str, env: dict, base: Path) -> tuple[Process, int]:
    port = free_port()
    server_env = {**env, "BIND": f"127.0.0.1:{port}", "ACCESS_LOG": str(base / f"{name}.access.log")}
    process = Process(name, [str(VENV_BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), "wsgi:app"],
                      log=base / f"{name}.log", env=server_env).start()
    wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), 60, name)
    return process, port


def rq_worker(name: str, env: dict, base: Path) -> Process:
    return Process(name, [str(VENV_BIN / "flask"), "rq", "worker"], log=base / f"{name}.log",
                   env={**env, "FLASK_APP": "wsgi"}).start()


# -- nginx ----------------------------------------------------------------------------------------
def _blocks(text: str) -> list[str]:
    """The top-level statements of an nginx file, comments dropped: `map ... { }`, `server { }` ...
    Braces and # inside quoted strings (the 503's JSON body) are text."""
    out, depth, current, quote, comment = [], 0, [], "", False
    for ch in text:
        if comment:
            comment = ch != "\n"
            if comment:
                continue
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            comment = True
            continue
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        current.append(ch)
        if not quote and ((ch == "}" and depth == 0) or (ch == ";" and depth == 0)):
            out.append("".join(current).strip())
            current = []
    return [b for b in out if b]


def render_nginx_site(app_ports: list[int], listen_port: int) -> str:
    """deploy/nginx/minhang.conf for the test: the same maps, upstream parameters and HTTPS server
    block, with the test's app servers, a plain-HTTP port instead of TLS, the redirect-only HTTP
    server left out, and the proxy snippet and static directory taken from this checkout."""
    site = (DEPLOY / "nginx" / "minhang.conf").read_text()
    rendered = []
    for block in _blocks(site):
        if block.startswith("upstream"):
            params = re.search(r"^\s*server\s+\S+\s+([^;]*);", block, re.M).group(1)
            servers = "".join(f"    server 127.0.0.1:{p} {params};\n" for p in app_ports)
            block = re.sub(r"(?m)^\s*server\s+[^;]*;\n?", "", block)
            block = block.replace("{", "{\n" + servers, 1)
        elif block.startswith("server"):
            if "listen 443" not in block:
                continue  # the HTTP -> HTTPS redirect; the test speaks HTTP to the TLS block's rules
            block = re.sub(r"(?m)^[ \t]*listen\s[^;]*;[ \t]*\n", "", block)
            block = re.sub(r"(?m)^[ \t]*(ssl_[a-z_]+|http2)\s[^;]*;[ \t]*\n", "", block)
            block = block.replace("{", f"{{\n    listen 127.0.0.1:{listen_port};", 1)
        rendered.append(block)
    text = "\n".join(rendered)
    text = text.replace("/etc/nginx/snippets/minhang-proxy.conf", str(DEPLOY / "nginx" / "minhang-proxy.conf"))
    return text.replace("/srv/minhang/", f"{ROOT}/")


def nginx(base: Path, app_ports: list[int], port: int) -> Process:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx is not installed (make test-production installs Debian's nginx)")
    prefix = base / "nginx"
    for sub in ("logs", "temp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    (prefix / "site.conf").write_text(render_nginx_site(app_ports, port))
    temp = prefix / "temp"
    (prefix / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/site.conf;
}}
""")
    check = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the rendered configuration:\n{check.stderr}")
    process = Process("nginx", [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                      log=base / "nginx.log").start()
    wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), 20, "nginx")
    return process
