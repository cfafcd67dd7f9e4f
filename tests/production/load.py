"""The mixed load, through nginx as people and devices send it, every request recorded: when it was
sent and answered, its kind, its status (None: no answer at all), Retry-After, and what it
acknowledged (the ids the answer gave, or the mobile number of an account that was signed up)."""
from __future__ import annotations

import io
import itertools
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests
from PIL import Image

from tests.production.dataset import ADMIN_LOGIN, PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Record:
    kind: str
    started: float
    ended: float
    status: int | None
    retry_after: str | None = None
    ack: dict | None = None
    error: str = ""


@dataclass
class Journal:
    """Every request of the run, appended from many threads."""
    records: list[Record] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> Record:
        with self.lock:
            self.records.append(record)
        return record


class Client:
    """One person or device: its own connection (keep-alive) and cookies."""

    def __init__(self, base: str, journal: Journal, clock):
        self.base, self.journal, self.clock = base, journal, clock
        self.http = requests.Session()

    def call(self, kind: str, method: str, path: str, ack=None, **kwargs) -> tuple[Record, requests.Response | None]:
        started = self.clock()
        try:
            response = self.http.request(method, self.base + path, timeout=30, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            return self.journal.add(Record(kind, started, self.clock(), None, error=type(exc).__name__)), None
        record = Record(kind, started, self.clock(), response.status_code, response.headers.get("Retry-After"))
        if ack is not None:
            try:
                record.ack = ack(response)
            except (ValueError, KeyError):
                record.ack = None
        return self.journal.add(record), response

    def csrf(self, kind: str, path: str) -> str | None:
        _record, response = self.call(kind, "GET", path)
        found = CSRF.search(response.text) if response is not None and response.status_code == 200 else None
        return found.group(1) if found else None

    def sign_in(self, login: str, password: str) -> bool:
        for _ in range(40):
            token = self.csrf("sign-in-form", "/login")
            if token:
                _record, response = self.call("sign-in", "POST", "/login", data={
                    "login": login, "password": password, "csrf_token": token})
                if response is not None and response.status_code == 302:
                    return True
            time.sleep(0.5)
        return False


def _location_id(pattern: str):
    def ack(response):
        if response.status_code != 302:
            return None
        found = re.search(pattern, response.headers.get("Location", ""))
        return {"id": found.group(1)} if found else None
    return ack


class Load:
    """The threads of the mixed load; `run(seconds)` starts them and waits for the end."""

    def __init__(self, base: str, data: dict, clock, journal: Journal):
        self.base, self.data, self.clock, self.journal = base, data, clock, journal
        self.stop = threading.Event()
        self.mobiles = (f"139{n:08d}" for n in itertools.count(1))
        self.tokens = iter(data["participant_tokens"])
        self.tickets = list(data["tickets"])
        random.Random(18).shuffle(self.tickets)
        self.ticket_lock = threading.Lock()
        self.admitted: list[tuple[int, str]] = []
        self.print_job: str | None = None
        self.uploaded = threading.Event()

    def _client(self) -> Client:
        return Client(self.base, self.journal, self.clock)

    # -- people and devices -------------------------------------------------------------------
    def reader(self) -> None:
        client = self._client()
        paths = ["/", f"/api/v1/events/{self.data['limited_event']}", "/api/v1/events", "/static/css/app.css"]
        for n in itertools.count():
            if self.stop.wait(0.2):
                return
            client.call("read", "GET", paths[n % len(paths)])

    def signups(self) -> None:
        while not self.stop.wait(0.3):
            client, mobile = self._client(), next(self.mobiles)  # a new person each time
            token = client.csrf("sign-up-form", "/signup")
            if not token:
                continue
            client.call("sign-up", "POST", "/signup", ack=lambda r, m=mobile: {"mobile": m} if r.status_code == 302 else None,
                        data={"name": f"新用户{mobile[-4:]}", "mobile": mobile, "password": PASSWORD, "consent": "y",
                              "csrf_token": token})

    def registrations(self) -> None:
        client = self._client()
        path = f"/api/v1/events/{self.data['limited_event']}/registrations"
        while not self.stop.wait(0.15):
            try:
                with self.ticket_lock:
                    token = next(self.tokens)
            except StopIteration:
                return
            client.call("register", "POST", path, json={}, headers={"Authorization": f"Bearer {token}"},
                        ack=lambda r: {"id": r.json()["id"], "status": r.json()["status"]} if r.status_code == 201 else None)

    def _next_scan(self) -> tuple[int, str] | None:
        with self.ticket_lock:
            if self.admitted and random.random() < 0.2:  # someone shows the ticket again at another door
                return random.choice(self.admitted)
            return self.tickets.pop() if self.tickets else None

    def scanner(self, door: int) -> None:
        client = self._client()
        headers = {"Authorization": f"Bearer {self.data['scanner_token']}"}
        while not self.stop.wait(0.1):
            ticket = self._next_scan()
            if ticket is None:
                return
            registration, code = ticket
            body = {"checkpoint": self.data["checkpoint"], "token": code, "nonce": uuid.uuid4().hex,
                    "device": f"door-{door}"}
            # A phone resends the same scan (same nonce) until it gets an answer.
            for _attempt in range(20):
                record, response = client.call(
                    "scan", "POST", "/api/v1/checkins", json=body, headers=headers,
                    ack=lambda r, reg=registration: ({"scan": r.json()["scan_id"], "result": r.json()["result"],
                                                      "registration": reg, "nonce": body["nonce"]}
                                                     if r.status_code == 200 else None))
                if record.ack is not None:
                    if record.ack["result"] == "ok":
                        with self.ticket_lock:
                            self.admitted.append(ticket)
                    break
                if response is not None and response.status_code < 500:
                    break
                time.sleep(0.5)

    # -- staff ----------------------------------------------------------------------------------
    def print_batch(self) -> None:
        """An admin signs in and prints the certificates as a ZIP (one PDF each: long enough for
        the worker to be killed in the middle)."""
        client = self._client()
        if not client.sign_in(ADMIN_LOGIN, PASSWORD):
            return
        for _ in range(40):
            token = client.csrf("print-form", "/console/certificates/")
            if token:
                record, _response = client.call(
                    "print", "POST", "/console/certificates/print", ack=_location_id(r"/certificates/jobs/([0-9a-f]{32})"),
                    data={"ids": self.data["certificate_ids"], "output": "zip", "label": "production test",
                          "csrf_token": token})
                if record.ack:
                    self.print_job = record.ack["id"]
                    return
                if record.status is not None and record.status < 500:
                    return
            time.sleep(0.5)

    def upload(self) -> None:
        """An admin uploads a signature image to a certificate template."""
        client = self._client()
        if not client.sign_in(ADMIN_LOGIN, PASSWORD):
            return
        image = io.BytesIO()
        Image.new("RGBA", (240, 80), (180, 20, 20, 255)).save(image, "PNG")
        path = f"/console/certificates/templates/{self.data['upload_template']}"
        for _ in range(40):
            token = client.csrf("upload-form", path)
            if token:
                record, _response = client.call(
                    "upload", "POST", path, ack=lambda r: {"template": self.data["upload_template"]}
                    if r.status_code == 302 else None,
                    data={**self.data["template_fields"], "csrf_token": token},
                    files={"signature": ("signature.png", image.getvalue(), "image/png")})
                if record.ack or (record.status is not None and record.status < 500):
                    self.uploaded.set()
                    return
            time.sleep(0.5)

    def run(self, seconds: float) -> None:
        threads = [threading.Thread(target=self.reader, name="reader"),
                   threading.Thread(target=self.signups, name="signups"),
                   *[threading.Thread(target=self.registrations, name=f"registrations-{n}") for n in range(2)],
                   *[threading.Thread(target=self.scanner, args=(n,), name=f"scanner-{n}") for n in range(3)],
                   threading.Thread(target=self.print_batch, name="print"),
                   threading.Thread(target=self.upload, name="upload")]
        for thread in threads:
            thread.start()
        self.stop.wait(seconds)
        self.stop.set()
        for thread in threads:
            thread.join(60)
