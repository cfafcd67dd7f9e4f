"""The archive: a plain .tar (a PostgreSQL dump is compressed already) of database/<file>,
files/<directory>/<path>, manifest.json listing every other member's size and sha256, and
manifest.sha256 guarding the manifest itself. Each member is hashed from the very bytes written
into the archive, so a file that changes while it is saved cannot disagree with its checksum."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from app.backup.errors import refused

FORMAT = "minhang-backup"
VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
_MEMBER = re.compile(r"^(database/[A-Za-z0-9._-]+|files/[a-z_]+/.+)$")
_CHUNK = 1024 * 1024


class _Hashing(io.RawIOBase):
    """Reads `size` bytes of a file for tarfile, hashing them on the way."""

    def __init__(self, handle, size: int):
        self.handle, self.left, self.digest = handle, size, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.handle.read(n)
        if len(data) < n:  # the file shrank while being saved: pad, and the checksum says what was saved
            data += b"\0" * (n - len(data))
        self.left -= len(data)
        self.digest.update(data)
        return data


class Writer:
    def __init__(self, path: Path):
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)
        self.members: list[dict] = []

    def add_file(self, source: Path, name: str) -> int:
        with open(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = size, int(os.fstat(handle.fileno()).st_mtime), 0o640
            reader = _Hashing(handle, size)
            self.tar.addfile(info, reader)
        self.members.append({"path": name, "size": size, "sha256": reader.digest.hexdigest()})
        return size

    def _add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), 0o640
        self.tar.addfile(info, io.BytesIO(data))

    def close(self, manifest: dict) -> None:
        body = json.dumps({**manifest, "members": self.members}, ensure_ascii=False, indent=2,
                          sort_keys=True).encode()
        self._add_bytes(MANIFEST, body)
        self._add_bytes(MANIFEST_SUM, f"{hashlib.sha256(body).hexdigest()}  {MANIFEST}\n".encode())
        self.tar.close()


def _corrupt(detail):
    return refused("archive_corrupt", _l("The backup archive is damaged and was not restored: %(detail)s",
                                         detail=detail))


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not _MEMBER.match(name) and name not in (MANIFEST, MANIFEST_SUM):
        raise _corrupt(_l("it holds an unexpected member."))
    return name


def extract_verified(archive: Path, into: Path) -> dict:
    """Unpack the archive into the empty folder `into` and return its manifest, checking on the
    way that every member is one the manifest lists, with its size and sha256, and that none is
    missing. Anything else refuses the archive (and nothing outside `into` was written)."""
    found: dict[str, tuple[int, str]] = {}
    try:
        with tarfile.open(archive, "r:") as tar:
            for info in tar:
                name = _safe_name(info.name)
                if not info.isfile() or name in found:
                    raise _corrupt(_l("it holds an unexpected member."))
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(info) as source, open(target, "wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                found[name] = (info.size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError):
        raise _corrupt(_l("it is not a complete tar archive.")) from None
    if MANIFEST not in found or MANIFEST_SUM not in found:
        raise _corrupt(_l("its manifest is missing."))
    body = (into / MANIFEST).read_bytes()
    if (into / MANIFEST_SUM).read_text(errors="replace").split()[:1] != [hashlib.sha256(body).hexdigest()]:
        raise _corrupt(_l("its manifest does not match its checksum."))
    try:
        manifest = json.loads(body)
        listed = {m["path"]: (int(m["size"]), m["sha256"]) for m in manifest["members"]}
    except (ValueError, KeyError, TypeError):
        raise _corrupt(_l("its manifest cannot be read.")) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise refused("archive_unknown", _l("This is not a backup archive of this application (or of a newer one)."))
    del found[MANIFEST], found[MANIFEST_SUM]
    if set(found) != set(listed):
        raise _corrupt(_l("members are missing or were added."))
    bad = sum(1 for name, value in found.items() if listed[name] != value)
    if bad:
        raise _corrupt(_l("%(count)s member(s) do not match their sha256.", count=bad))
    return manifest
