"""Certificate PDF speed: 60 and 1,000 certificates in ONE PDF, next to one PDF each.

    make bench-certificates        # = .venv/bin/python bench/certificates.py
    .venv/bin/python bench/certificates.py --sizes 60 --profile /tmp/cert.prof

    .venv/bin/python bench/certificates.py --whole --repeat 3   # also with stamping off, interleaved

Builds a scratch SQLite database with the migrations, issues real certificates (rare names,
serials, codes) through the issuing service, then renders them with the app's own renderer
(`batches.certificates_pdf`, what batch jobs and the CLI use): the default 结业证书 template,
Noto Serif CJK SC embedded, a QR code per page, stamped on a shared background (see
app/certificates/stamping.py), in parallel chunks (CERTIFICATE_PRINT_PROCESSES, `--processes`).
Prints seconds and ms per certificate for each size and mode, CPU seconds of this process and
its children, and where the wall time goes in the one-PDF mode (prepare = contexts from the
database; plan = the stamping plan and background; render = QR + HTML + layout + PDF writing in
the chunk processes; join = pikepdf), with how many pages were stamped. The machine's speed
drifts (a shared VM): the "reference loop" line times a fixed pure-Python loop before and after,
so runs on different days can be compared. Targets on the 2-core machine: 60 in < 1 s, 1,000 in
< 10 s.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NAMES = ("张玥", "李喆", "王堃", "赵赟", "林〇", "欧阳娜娜", "陈立群", "孙赟", "钱喆", "周晓梅")


def build(app, count: int):
    from app.accounts.models import User
    from app.accounts.services import ensure_departments
    from app.certificates import services
    from app.extensions import db

    departments = {d.code: d for d in ensure_departments()}
    admin = User(name="管理员", password_hash="x", mobile="13000000000")
    admin.set_roles(["admin"])
    db.session.add(admin)
    users = [User(name=NAMES[i % len(NAMES)], password_hash="x", mobile=f"139{i:08d}") for i in range(count)]
    db.session.add_all(users)
    db.session.flush()
    subject = services.Subject("cohort", 1, "2026年闵行区创业孵化营（第一期）", "2026年3月至6月",
                               departments["talent_center"])
    result = services.issue(admin, subject, "completion",
                            [services.Recipient(u, tier="创业孵化营") for u in users])
    db.session.commit()
    ids = [c.id for c in result.issued]
    db.session.expunge_all()
    from app.certificates.printing import ordered

    return ordered(ids)  # as a print job loads them: one query


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine is right now."""
    t0 = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i
    return time.process_time() - t0


def _cpu() -> float:
    own, children = os.times()[:2], os.times()[2:4]
    return sum(own) + sum(children)


def one_pdf(certs) -> tuple[float, dict, int]:
    from app.certificates import batches

    timings: dict = {}
    t0, c0 = time.perf_counter(), _cpu()
    body = batches.certificates_pdf(certs, timings=timings)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    import io

    import pikepdf

    assert len(pikepdf.open(io.BytesIO(body)).pages) == len(certs)  # outside the timed part
    return seconds, {"cpu": cpu, **timings}, len(body)


def each_pdf(certs) -> tuple[float, int]:
    from app.certificates import batches

    t0 = time.perf_counter()
    size = sum(len(batches.certificates_pdf([c])) for c in certs)
    return time.perf_counter() - t0, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="60,1000")
    parser.add_argument("--each-max", type=int, default=1000, help="skip one-PDF-each above this size")
    parser.add_argument("--profile", help="write a cProfile of the largest one-PDF run here (this process only)")
    parser.add_argument("--processes", type=int, default=0,
                        help="rendering processes per batch (default: CERTIFICATE_PRINT_PROCESSES or the CPU cores)")
    parser.add_argument("--repeat", type=int, default=1, help="run each one-PDF size this many times")
    parser.add_argument("--whole", action="store_true", help="also print every certificate whole (no stamping), "
                        "alternating with the stamped runs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    os.environ.setdefault("APP_ENV", "testing")
    from flask_migrate import upgrade

    from app import create_app

    workdir = Path(tempfile.mkdtemp(prefix="bench-cert-"))
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'bench.sqlite3'}",
                     UPLOAD_DIR=str(workdir / "uploads"), PUBLIC_BASE_URL="https://rencai.minhang.gov.cn",
                     CERTIFICATE_PRINT_PROCESSES=args.processes or None)
    with app.app_context():
        upgrade()
        certs = build(app, max(sizes))
        from app.certificates import stamping

        one_pdf(certs[:stamping.MIN_GROUP])  # warm-up: fonts, fontconfig, imports, the stamping plan
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs, "
              f"reference loop {reference_loop():.2f}s")
        print(f"{'certificates':>12} {'mode':<14} {'seconds':>8} {'ms/cert':>8} {'size':>9}  breakdown")
        modes = [("one PDF", stamping.MIN_GROUP)] + ([("one PDF, whole", 10 ** 9)] if args.whole else [])
        for n in sizes:
            if args.profile and n == max(sizes):
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            for _ in range(args.repeat):
                for mode, min_group in modes:
                    stamping.MIN_GROUP = min_group
                    seconds, phases, size = one_pdf(certs[:n])
                    split = (f"{phases.pop('processes')} processes  {phases.pop('stamped')} stamped  "
                             + "  ".join(f"{k} {v:.2f}s" for k, v in phases.items()))
                    print(f"{n:>12} {mode:<14} {seconds:>8.2f} {1000 * seconds / n:>8.1f} {size // 1024:>7}KB  "
                          f"{split}", flush=True)
                stamping.MIN_GROUP = modes[0][1]
            if args.profile and n == max(sizes):
                profiler.disable()
                profiler.dump_stats(args.profile)
            if n <= args.each_max:
                seconds, size = each_pdf(certs[:n])
                print(f"{n:>12} {'one PDF each':<14} {seconds:>8.2f} {1000 * seconds / n:>8.1f} {size // 1024:>7}KB",
                      flush=True)
        print(f"reference loop {reference_loop():.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
