"""Load test of the cockpit and the REST API (issue 12): 50 concurrent users on loopback against gunicorn with 4
workers and production settings, on the demo city built at a chosen scale in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_load .venv/bin/python bench/load_cockpit_api.py
    … --scale 5 --users 50 --seconds 120     # the defaults
    … --skip-build                           # reuse the city already in that database

Builds the demo city (``manage.py demo --scale N --reset`` semantics, refuses a database holding another city),
runs ANALYZE, issues an integration token with every read operation for the city, collects the static files into
a temporary folder, starts gunicorn (4 workers, 127.0.0.1 only), warms it up, then runs Locust headless
(bench/locust_cockpit_api.py: half leaders on the cockpit and its 大屏, half integrations paging the API) and prints
requests, failures and the p50/p95/p99 latency of each page and in total. Asserts nothing; target p95 < 500 ms.
Needs the bench extra (``.venv/bin/pip install -e '.[bench]'`` for locust).
"""

import argparse
import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import build, setup_django  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--skip-build", action="store_true")
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """Build the city and issue the token; the environment the Locust users read."""
    from django.core.management import call_command
    from django.urls import reverse

    from apps.api.models import Operation
    from apps.api.services import create_token
    from apps.investment.models import Project
    from apps.org.models import Unit, User
    from yingshang.demo.context import DEMO_PASSWORD

    call_command("migrate", verbosity=0)
    if not args.skip_build:
        for line in build(args.seed, args.scale):
            print(*line)
    city = Unit.objects.get(depth=1)
    issued = create_token(
        name=f"压力测试 {secrets.token_hex(2)}",
        unit=city,
        operations=[Operation.PROJECTS_READ, Operation.ENTERPRISES_READ, Operation.APPEALS_READ],
        expires_at=None,
        by=User.objects.get(username="sysadmin"),
    )
    projects = Project.objects.visible_to(issued.token.account).order_by("?").values_list("pk", flat=True)[:200]
    return {
        "LOAD_LOGIN_PATH": reverse("org:login"),
        "LOAD_USERS": ",".join(f"{name}:{DEMO_PASSWORD}" for name in ("leader", "dongcheng")),
        "LOAD_TOKEN": issued.plaintext,
        "LOAD_PROJECT_IDS": ",".join(map(str, projects)),
    }


def production_env(static_root: str) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",  # plain HTTP on loopback
        "STATIC_ROOT": static_root,
        "API_THROTTLE_RATE": "100000/min",  # the integrations here are the load itself
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    subprocess.run(  # noqa: S603 - fixed arguments
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    print(f"gunicorn: {workers} workers on 127.0.0.1:{port}, log {log}")
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(VENV_BIN / "gunicorn"), "yingshang.wsgi", f"--bind=127.0.0.1:{port}", f"--workers={workers}"]
        + ["--access-logfile=/dev/null", "--log-level=warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema/", timeout=30)  # noqa: S310 - loopback
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    sys.exit("gunicorn 没有在 60 秒内启动")


def run_locust(args: argparse.Namespace, env: dict[str, str], port: int, prefix: str) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locust_cockpit_api.py"), "--headless"]
        + [f"--users={args.users}", f"--spawn-rate={args.spawn_rate}", f"--run-time={args.seconds}s"]
        + [f"--host=http://127.0.0.1:{port}", f"--csv={prefix}", "--only-summary", "--loglevel=WARNING"],
        env=env,
        check=False,  # locust exits 1 when a request failed; the table below says which
    )


def report(prefix: str) -> None:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    print(f"\n{'request':<34} {'count':>7} {'failed':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}")
    for row in rows:
        print(
            f"{row['Type'] + ' ' + row['Name']:<34.34} {row['Request Count']:>7} {row['Failure Count']:>7} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Requests/s']):>7.1f}"
        )
    with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
        for failure in csv.DictReader(file):
            print(f"failure: {failure['Method']} {failure['Name']}: {failure['Error']} × {failure['Occurrences']}")


def main() -> None:
    args = parse()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("压力测试在 PostgreSQL 上进行：请设置 DATABASE_URL=postgres://…")
    setup_django()
    users_env = prepare(args)
    from django.db import connections

    connections.close_all()
    with tempfile.TemporaryDirectory() as folder:
        env = production_env(str(Path(folder) / "static")) | users_env
        port = free_port()
        server = start_server(env, port, args.workers, Path(tempfile.gettempdir()) / "yingshang-load-server.log")
        try:
            for path in ("/cockpit/", "/api/v1/projects/"):  # the first request of each worker loads the code
                for _ in range(args.workers):
                    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")  # noqa: S310 - loopback
                    request.add_header("Authorization", f"Bearer {env['LOAD_TOKEN']}")
                    urllib.request.urlopen(request, timeout=60)  # noqa: S310 - loopback
            prefix = str(Path(folder) / "load")
            run_locust(args, env, port, prefix)
            report(prefix)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
