"""Fetching pages over HTTP politely: timeouts, recorded redirects, a size cap, retries, a per-host pace.

httpx does the protocol work (redirects, connection reuse, timeouts, streaming); this
module decides what to retry, how long to wait, and what counts as a page worth importing.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from queue import Empty, SimpleQueue
from types import FrameType
from urllib.parse import urlsplit

import httpx

from sitegen import __version__

USER_AGENT = f"sitegen/{__version__} (static archive import; +https://pypi.org/project/sitegen/)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Worth asking again: the server said "later" (429) or failed on its side (5xx).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently pages are fetched."""

    timeout: float = 20.0  # seconds to connect, and between bytes read
    deadline: float = 120.0  # seconds for a whole page: a server trickling bytes cannot hold on forever
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 3  # further attempts after a 429, a 5xx or a refused connection
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_wait: float = 120.0  # the longest Retry-After honoured; longer gives up
    per_host_delay: float = 1.0  # seconds between two requests to the same host
    parallel_hosts: int = 4
    max_redirects: int = 10
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Capture:
    """A page as fetched: its final URL, the redirects on the way, and the bytes."""

    requested: str
    url: str  # after redirects
    redirects: tuple[str, ...]  # the URLs that redirected, in order (requested first)
    status: int
    content_type: str
    body: bytes
    captured: datetime  # aware, UTC


@dataclass(frozen=True)
class FetchFailure:
    """A URL that gave no page, and why, worded for a one-line report."""

    requested: str
    reason: str


def retry_delay(attempt: int, retry_after: str | None, policy: FetchPolicy, now: datetime) -> float | None:
    """Seconds to wait before retry number `attempt` (1-based); None when waiting is not worth it.

    Retry-After is honoured in both its forms (seconds, or an HTTP date); without it the
    wait doubles from `policy.backoff`.
    """
    if attempt > policy.retries:
        return None
    wait = policy.backoff * 2 ** (attempt - 1)
    if retry_after is not None:
        text = retry_after.strip()
        if text.isdigit():
            wait = float(text)
        else:
            with contextlib.suppress(TypeError, ValueError):  # unreadable: keep the backoff
                wait = max(0.0, (parsedate_to_datetime(text) - now).total_seconds())
    return wait if wait <= policy.max_wait else None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().casefold()


def _size_text(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


class Pace:
    """Spaces out requests to one host; each host's URLs are fetched by one thread in turn."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.last = float("-inf")

    def wait(self) -> None:
        pause = self.last + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last = time.monotonic()


def fetch_one(
    client: httpx.Client, url: str, policy: FetchPolicy, pace: Pace, *, any_type: bool = False
) -> Capture | FetchFailure:
    """Fetch one URL, with retries; a FetchFailure says why no page came back.

    Only HTML is taken unless `any_type` (a feed is XML of several types).
    """
    attempt = 0
    while True:
        pace.wait()
        try:
            outcome = _attempt(client, url, policy, any_type)
        except httpx.TimeoutException:
            # Not retried: a page that used the whole timeout once is likely to again.
            return FetchFailure(url, f"timed out (no answer within {policy.timeout:g} s)")
        except httpx.TooManyRedirects:
            return FetchFailure(url, f"more than {policy.max_redirects} redirects")
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
            outcome = (0, None, f"cannot connect ({error})" if str(error) else "cannot connect")
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return FetchFailure(url, f"request failed ({error})")
        if isinstance(outcome, Capture | FetchFailure):
            return outcome
        _status, retry_after, reason = outcome
        attempt += 1
        wait = retry_delay(attempt, retry_after, policy, datetime.now(UTC))
        if wait is None:
            if attempt <= policy.retries:
                return FetchFailure(url, f"{reason} (Retry-After too long to wait)")
            return FetchFailure(url, f"{reason} after {attempt} attempt{'s' if attempt > 1 else ''}")
        time.sleep(wait)


_Retry = tuple[int, str | None, str]


def _attempt(client: httpx.Client, url: str, policy: FetchPolicy, any_type: bool) -> Capture | FetchFailure | _Retry:
    """One request; a (status, Retry-After, reason) triple means "worth another try"."""
    give_up = time.monotonic() + policy.deadline
    with client.stream("GET", url) as response:
        status = response.status_code
        if status in RETRY_STATUSES:
            return status, response.headers.get("retry-after"), f"HTTP {status} {response.reason_phrase}"
        if status >= 400:
            return FetchFailure(url, f"HTTP {status} {response.reason_phrase}")
        content_type = response.headers.get("content-type", "")
        if not any_type and _media_type(content_type) not in HTML_TYPES:
            shown = _media_type(content_type) or "no content type"
            return FetchFailure(url, f"not an HTML page ({shown})")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > policy.max_bytes:
            return FetchFailure(url, f"larger than {_size_text(policy.max_bytes)} ({int(declared)} bytes)")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            if time.monotonic() > give_up:
                return FetchFailure(url, f"still downloading after {policy.deadline:g} s; gave up")
            size += len(chunk)
            if size > policy.max_bytes:
                return FetchFailure(url, f"larger than {_size_text(policy.max_bytes)}")
            chunks.append(chunk)
        return Capture(
            requested=url,
            url=str(response.url),
            redirects=tuple(str(step.url) for step in response.history),
            status=status,
            content_type=content_type,
            body=b"".join(chunks),
            captured=datetime.now(UTC).replace(microsecond=0),
        )


def make_client(policy: FetchPolicy) -> httpx.Client:
    """An HTTP client following redirects, with the policy's timeout and user agent."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=policy.max_redirects,
        timeout=httpx.Timeout(policy.timeout),
        headers={"User-Agent": policy.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"},
    )


INTERRUPTS = frozenset({signal.SIGINT, signal.SIGTERM})
SIGNAL_CHECK_SECONDS = 0.2  # how often the wait for results looks for a Ctrl-C noted but lost


@contextlib.contextmanager
def _interrupts_left_to_this_thread() -> Iterator[None]:
    """Threads started inside block Ctrl-C and SIGTERM, so the kernel delivers them here.

    A signal the kernel hands to a worker does not wake this thread from its wait on the
    results queue: the interrupt would wait for the next result, perhaps a slow server's
    full timeout. Threads inherit the mask they are started with.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows has no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _ctrl_c_noted() -> Iterator[threading.Event]:
    """An event set by Ctrl-C, beside the KeyboardInterrupt it raises as always.

    A KeyboardInterrupt can be lost: raised while a C extension initialises (trafilatura's
    first import, made when the first page arrives), it is cleared there, and the import
    would go on to wait out the next slow server (seen in CI). The event is not lost.
    """
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # only there can handlers be set
        yield interrupted
        return
    previous = signal.getsignal(signal.SIGINT)

    def note(signum: int, frame: FrameType | None) -> None:
        if previous == signal.SIG_IGN:
            return
        interrupted.set()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def fetch_all(
    urls: Iterable[str], policy: FetchPolicy, *, stop: threading.Event | None = None
) -> Iterator[Capture | FetchFailure]:
    """Fetch every URL, several hosts at once and one request at a time per host.

    Results come back as they finish, so the caller can write each article at once and an
    interrupted run keeps what it finished. The workers are daemon threads: an interrupt
    ends the import at once instead of waiting out a slow server's timeout.
    """
    hosts: dict[str, list[str]] = {}
    for url in urls:
        hosts.setdefault(urlsplit(url).netloc.casefold(), []).append(url)
    work: SimpleQueue[list[str]] = SimpleQueue()
    for host_urls in hosts.values():
        work.put(host_urls)
    results: SimpleQueue[Capture | FetchFailure | None] = SimpleQueue()
    stop = stop or threading.Event()

    def worker() -> None:
        try:
            with make_client(policy) as client:
                while not stop.is_set():
                    try:
                        host_urls = work.get_nowait()
                    except Empty:
                        break
                    pace = Pace(policy.per_host_delay)
                    for url in host_urls:
                        if stop.is_set():
                            break
                        results.put(fetch_one(client, url, policy, pace))
        finally:
            results.put(None)

    workers = min(max(1, policy.parallel_hosts), len(hosts))
    with _interrupts_left_to_this_thread():
        for number in range(workers):
            threading.Thread(target=worker, name=f"fetch-{number}", daemon=True).start()
    with _ctrl_c_noted() as interrupted:
        yield from _results(results, workers, stop, interrupted)


def _results(
    results: SimpleQueue[Capture | FetchFailure | None],
    workers: int,
    stop: threading.Event,
    interrupted: threading.Event,
) -> Iterator[Capture | FetchFailure]:
    """The workers' results until each has finished; an interrupt noted ends them."""
    finished = 0
    try:
        while finished < workers:
            if interrupted.is_set():
                raise KeyboardInterrupt
            try:  # a timed wait, so that an interrupt noted but lost is acted on
                result = results.get(timeout=SIGNAL_CHECK_SECONDS)
            except Empty:
                continue
            if result is None:
                finished += 1
            else:
                yield result
    finally:
        stop.set()  # on an interrupt, workers stop after their current request
