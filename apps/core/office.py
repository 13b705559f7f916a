"""A LibreOffice kept running by this process for Word → PDF, fed over UNO: its start-up (1–2 s) is paid once.

The first conversion starts ``soffice --headless --accept=pipe,…`` with a user profile and a named pipe of its own
(the pipe's name holds the process id and a random part, so parallel task workers and pytest-xdist never meet);
later conversions reuse it. The project's Python (.venv) cannot import Debian's ``uno`` module, which is built for
/usr/bin/python3, so this file is also the small script that Debian's Python runs for each conversion
(``/usr/bin/python3 -I office.py PIPE WAIT SOURCE TARGET …``, about 50 ms): it connects over the pipe, converts
and exits. A conversion that fails or takes too long kills the office and is tried once more in a fresh one; an
office is replaced after ``MAX_CONVERSIONS`` documents and stopped when the process exits.

Not unoserver (PyPI): its client is pure Python (XML-RPC), but its server would have to run under Debian's Python
importing unoserver from the virtual environment, sleeps 7 s on every start before it serves, and takes two TCP
ports per worker, which parallel workers would have to share out.

This module imports only the standard library, so that Debian's Python can run it, and its errors are for the log:
``documents.docx_to_pdfs`` converts with a one-shot ``soffice --convert-to`` whenever the resident office fails or
cannot be had (no python3-uno), and that conversion reports what went wrong in Chinese.
"""

import atexit
import contextlib
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

logger = logging.getLogger(__name__)

UNO_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno
BRIDGE = Path(__file__).resolve()
START_TIMEOUT = 30.0  # seconds a fresh office has to accept its first connection
#: documents an office converts before a fresh one replaces it: LibreOffice's memory grows over a long life
MAX_CONVERSIONS = 200
POLL = 0.1
EXIT_NO_UNO = 3
EXIT_NO_CONNECTION = 4
EXIT_FAILED = 5


class OfficeError(RuntimeError):
    """The resident office failed, died or took too long; the caller converts another way."""


class DocumentError(OfficeError):
    """The office is well but could not load or store a document; another office would not do better."""


class OfficeUnavailableError(OfficeError):
    """This machine cannot run a resident office (no Python with UNO); not tried again by this process."""


class ResidentOffice:
    """One LibreOffice listening on a named pipe of its own, with a profile of its own."""

    def __init__(self, soffice: str, *, python: str = UNO_PYTHON) -> None:
        self.soffice, self.python = soffice, python
        self.pipe = f"yingshang-{os.getpid()}-{secrets.token_hex(4)}"
        self.process: subprocess.Popen | None = None
        self.directory: Path | None = None
        self.connected = False  # once a conversion went through, the office answers at once
        self.conversions = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the office; it accepts connections a second or two later (the bridge waits for it)."""
        self.directory = Path(tempfile.mkdtemp(prefix="yingshang-office-"))
        command = [
            self.soffice,
            f"-env:UserInstallation={(self.directory / 'profile').as_uri()}",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
            *("--headless", "--invisible", "--nodefault", "--norestore", "--nologo", "--nolockcheck"),
        ]
        with open(self.directory / "office.log", "wb") as log:
            try:
                # a session of its own, as in documents._run: killing the group takes oosplash and soffice.bin along
                self.process = subprocess.Popen(  # noqa: S603 - a fixed command; the variable parts are our own
                    command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
                )
            except OSError as exc:
                raise OfficeError(f"{self.soffice}: {exc}") from exc
        logger.info("resident LibreOffice started: pid %s, pipe %s", self.process.pid, self.pipe)

    def convert(self, pairs: Sequence[tuple[Path, Path]], *, timeout: float) -> None:
        """Each source (.docx) to its target (.pdf); OfficeError if the office fails, dies or takes too long."""
        if not self.running():
            raise OfficeError("the resident office is not running")
        wait = 0.0 if self.connected else START_TIMEOUT
        command = [
            self.python,
            "-I",
            str(BRIDGE),
            self.pipe,
            str(wait),
            *(str(path) for pair in pairs for path in pair),
        ]
        try:
            bridge = subprocess.Popen(  # noqa: S603 - a fixed command; the variable parts are our own
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:
            raise OfficeUnavailableError(f"{self.python}: {exc}") from exc
        code, detail = self._finish(bridge, deadline=time.monotonic() + wait + timeout * max(len(pairs), 1))
        if code == EXIT_NO_UNO:
            raise OfficeUnavailableError(f"{self.python} cannot import uno (Debian's python3-uno): {detail}")
        if code == EXIT_FAILED and self.running():
            raise DocumentError(detail)
        if code != 0 or not all(target.exists() for _source, target in pairs):
            raise OfficeError(f"the bridge ended with {code}: {detail}")
        self.connected = True
        self.conversions += len(pairs)

    def _finish(self, bridge: subprocess.Popen, *, deadline: float) -> tuple[int, str]:
        """The bridge's exit code and last words; it is killed if the office dies first or the deadline passes."""
        while True:
            try:
                _stdout, stderr = bridge.communicate(timeout=POLL)
                return bridge.returncode, stderr.strip()[-500:]
            except subprocess.TimeoutExpired:
                if self.running() and time.monotonic() < deadline:
                    continue
            bridge.kill()
            bridge.communicate()
            raise OfficeError("the office died" if not self.running() else "the conversion took too long")

    def stop(self) -> None:
        """Kill the office and remove its profile: nothing in it is worth a graceful exit, every document is closed."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):  # the group may be gone already
                os.killpg(self.process.pid, signal.SIGKILL)  # the group: soffice.bin would outlive oosplash
            self.process.wait()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
        for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - where LibreOffice puts its pipe's socket, left behind
            with contextlib.suppress(OSError):
                os.unlink(f"{folder}/OSL_PIPE_{os.getuid()}_{self.pipe}")
        self.process = self.directory = None


class Keeper:
    """The process's resident office: started on first use, replaced when it fails, stopped at exit."""

    def __init__(self, *, python: str = UNO_PYTHON) -> None:
        self.python = python
        self.lock = threading.Lock()  # one conversion at a time: UNO calls into one office are not parallel
        self.office: ResidentOffice | None = None
        self.unavailable = ""  # why this process has no resident office
        self.exit_hook = False

    def convert(self, pairs: Sequence[tuple[Path, Path]], *, soffice: str, timeout: float) -> None:
        """``ResidentOffice.convert`` in the running office, or a fresh one; if the office fails (dies, hangs), once
        more in another fresh one; then OfficeError. A document the office cannot read is not tried again."""
        with self.lock:
            for attempt in (1, 2):
                try:
                    self._office(soffice).convert(pairs, timeout=timeout)
                    return
                except DocumentError:
                    raise
                except OfficeUnavailableError as exc:
                    self._give_up(str(exc))
                    raise
                except OfficeError as exc:
                    pid = self.office.pid if self.office else None
                    logger.warning("resident LibreOffice (pid %s) failed, attempt %s of 2: %s", pid, attempt, exc)
                    self._discard()
            raise OfficeError("the resident LibreOffice failed twice")

    def current(self) -> ResidentOffice | None:
        """The office now running, if any."""
        return self.office if self.office is not None and self.office.running() else None

    def stop(self) -> None:
        """Stop the office (in tests, and to free its memory)."""
        with self.lock:
            self._discard()

    def _office(self, soffice: str) -> ResidentOffice:
        if self.unavailable:
            raise OfficeUnavailableError(self.unavailable)
        office = self.office
        if office and office.running() and office.soffice == soffice and office.conversions < MAX_CONVERSIONS:
            return office
        self._discard()
        if not (os.path.isfile(self.python) and os.access(self.python, os.X_OK)):
            self._give_up(f"{self.python} is missing")
            raise OfficeUnavailableError(self.unavailable)
        if not self.exit_hook:
            atexit.register(self._discard)  # not self.stop: at exit, a thread still converting must not hold it up
            self.exit_hook = True
        self.office = ResidentOffice(soffice, python=self.python)
        self.office.start()
        return self.office

    def _discard(self) -> None:
        if self.office is not None:
            self.office.stop()
            self.office = None

    def _give_up(self, reason: str) -> None:
        logger.warning("no resident LibreOffice in this process, conversions start soffice each time: %s", reason)
        self.unavailable = reason
        self._discard()

    def forget(self) -> None:
        """In a forked child: the parent's office and lock are the parent's, not to be used or stopped here."""
        self.lock, self.office = threading.Lock(), None


keeper = Keeper()
os.register_at_fork(after_in_child=lambda: keeper.forget())


def convert(pairs: Sequence[tuple[Path, Path]], *, soffice: str, timeout: float) -> None:
    """Each source .docx to its target .pdf in this process's resident office (see ``Keeper.convert``)."""
    keeper.convert(pairs, soffice=soffice, timeout=timeout)


# ---- the bridge, run by Debian's Python ----------------------------------------------------------------------------


def bridge(pipe: str, wait: float, paths: Sequence[str]) -> int:
    """Connect to the office on ``pipe`` (trying for ``wait`` seconds) and store each source as its target PDF."""
    try:
        import uno
    except ImportError as exc:
        print(exc, file=sys.stderr)  # noqa: T201 - the parent reads it
        return EXIT_NO_UNO
    context = _connect(uno, pipe, wait)
    if context is None:
        print(f"no office on pipe {pipe} after {wait} s", file=sys.stderr)  # noqa: T201
        return EXIT_NO_CONNECTION
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    for source, target in zip(paths[::2], paths[1::2], strict=True):
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, _properties(uno, Hidden=True, ReadOnly=True)
        )
        if document is None:
            print(f"LibreOffice could not load {source}", file=sys.stderr)  # noqa: T201
            return EXIT_FAILED
        try:
            document.storeToURL(uno.systemPathToFileUrl(target), _properties(uno, FilterName="writer_pdf_Export"))
        finally:
            document.close(True)
    return 0


def _connect(uno: ModuleType, pipe: str, wait: float) -> object | None:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + wait
    while True:
        try:
            return resolver.resolve(url)
        except Exception:  # com.sun.star.connection.NoConnectException while the office is starting
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL)


def _properties(uno: ModuleType, **values: object) -> tuple[object, ...]:
    properties = []
    for name, value in values.items():
        prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        prop.Name, prop.Value = name, value
        properties.append(prop)
    return tuple(properties)


if __name__ == "__main__":
    try:
        sys.exit(bridge(sys.argv[1], float(sys.argv[2]), sys.argv[3:]))
    except Exception as exc:  # a UNO exception: the document could not be loaded or stored
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)  # noqa: T201
        sys.exit(EXIT_FAILED)
