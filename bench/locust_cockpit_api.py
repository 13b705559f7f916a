"""Locust users of the load test (bench/load_cockpit_api.py starts it; it can also be run by hand):

- a leader who opens the cockpit and now and then the meeting-room screen (大屏), logged in through the login form;
- an integration that pages through projects, enterprises and appeals and fetches single projects with its token.

Settings come from the environment: LOAD_LOGIN_PATH, LOAD_USERS (username:password,… — each simulated leader takes
the next), LOAD_TOKEN, LOAD_PROJECT_IDS (comma-separated), LOAD_PAGES (pages per list, default 20).
"""

import itertools
import os
import random

from locust import HttpUser, between, task

LOGIN_PATH = os.environ.get("LOAD_LOGIN_PATH", "/accounts/login/")
ACCOUNTS = itertools.cycle(
    tuple(account.split(":", 1)) for account in os.environ.get("LOAD_USERS", "leader:Demo@2026").split(",")
)
TOKEN = os.environ.get("LOAD_TOKEN", "")
PROJECT_IDS = [int(pk) for pk in os.environ.get("LOAD_PROJECT_IDS", "").split(",") if pk]
PAGES = int(os.environ.get("LOAD_PAGES", "20"))


class Leader(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        username, password = next(ACCOUNTS)
        self.client.get(LOGIN_PATH, name="login page")
        answer = self.client.post(
            LOGIN_PATH,
            {"username": username, "password": password},
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + LOGIN_PATH},
            name="login",
        )
        if "sessionid" not in self.client.cookies:
            answer.failure(f"{username} could not log in ({answer.status_code})")

    @task(4)
    def cockpit(self) -> None:
        self.client.get("/cockpit/", name="/cockpit/")

    @task(1)
    def screen(self) -> None:
        self.client.get("/cockpit/screen/", name="/cockpit/screen/")


class Integration(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"

    @task(2)
    def projects(self) -> None:
        self.client.get(f"/api/v1/projects/?page={random.randint(1, PAGES)}", name="/api/v1/projects/?page=N")

    @task(2)
    def enterprises(self) -> None:
        self.client.get(f"/api/v1/enterprises/?page={random.randint(1, PAGES)}", name="/api/v1/enterprises/?page=N")

    @task(2)
    def appeals(self) -> None:
        self.client.get(f"/api/v1/appeals/?page={random.randint(1, PAGES)}", name="/api/v1/appeals/?page=N")

    @task(1)
    def project(self) -> None:
        if PROJECT_IDS:
            self.client.get(f"/api/v1/projects/{random.choice(PROJECT_IDS)}/", name="/api/v1/projects/{id}/")
