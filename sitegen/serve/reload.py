"""Live reload over Server-Sent Events, and the script the server injects into pages.

The script exists only in served responses, never in the files of site/.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass

EVENTS_PATH = "/__sitegen/events"
# Each open page holds a connection and a thread; a browser opens at most six connections to
# a host, so 100 streams are many tabs of several browsers, and thousands cannot pile up.
MAX_EVENT_STREAMS = 100


@dataclass(frozen=True)
class Event:
    """One message to every open page."""

    name: str  # "reload", "errors" or "hello"
    data: str

    def encode(self) -> bytes:
        lines = "".join(f"data: {line}\n" for line in self.data.split("\n"))
        return f"event: {self.name}\n{lines}\n".encode()


class EventHub:
    """Fans build results out to the pages listening on the event stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.Queue[Event | None]] = set()
        self._errors: tuple[str, ...] = ()
        self._version = 0

    def subscribe(self) -> queue.Queue[Event | None] | None:
        """A queue of events for one client, starting with the current state; None when
        ``MAX_EVENT_STREAMS`` clients listen already."""
        client: queue.Queue[Event | None] = queue.Queue()
        with self._lock:
            if len(self._clients) >= MAX_EVENT_STREAMS:
                return None
            self._clients.add(client)
            client.put(self._current())
        return client

    def unsubscribe(self, client: queue.Queue[Event | None]) -> None:
        with self._lock:
            self._clients.discard(client)

    def built(self) -> None:
        """A rebuild succeeded: every page reloads."""
        with self._lock:
            self._version += 1
            self._errors = ()
            self._send(Event("reload", str(self._version)))

    def failed(self, lines: list[str]) -> None:
        """A rebuild failed: every page shows the problems over the last good site."""
        with self._lock:
            self._errors = tuple(lines)
            self._send(Event("errors", json.dumps(lines)))

    def close(self) -> None:
        """Tell every listener to stop (the server is shutting down)."""
        with self._lock:
            for client in self._clients:
                client.put(None)

    @property
    def errors(self) -> tuple[str, ...]:
        return self._errors

    def _current(self) -> Event:
        if self._errors:
            return Event("errors", json.dumps(list(self._errors)))
        return Event("hello", str(self._version))

    def _send(self, event: Event) -> None:
        for client in self._clients:
            client.put(event)


# The overlay is an element of its own tag, found through the script's own variable, never by
# an id or a global: a heading "Sitegen error overlay" has the id sitegen-error-overlay, and
# nothing in a page (escaped or sanitised Markdown) can make a <sitegen-error-overlay>.
OVERLAY_TAG = "sitegen-error-overlay"

RELOAD_SCRIPT = f"""<script>
(() => {{
  const source = new EventSource("{EVENTS_PATH}");
  let version = null;
  let overlay = null;
  let list = null;
  function showErrors(lines) {{
    if (overlay === null) {{
      overlay = document.createElement("{OVERLAY_TAG}");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "display:block;position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "padding:2rem;background:rgba(20,20,20,.94);color:#fff;font:16px/1.5 ui-monospace,monospace";
      const title = document.createElement("h2");
      title.textContent = "sitegen: the build failed; showing the last good site underneath";
      title.style.cssText = "color:#ffb3b3;font-size:1.2rem;margin:0 0 1rem";
      list = document.createElement("pre");
      list.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.append(title, list);
      document.body.append(overlay);
    }}
    list.textContent = lines.join("\\n");
  }}
  source.addEventListener("hello", (event) => {{
    if (version !== null && version !== event.data) location.reload();
    version = event.data;
    if (overlay !== null) location.reload();
  }});
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
}})();
</script>
"""


def inject_reload_script(html: bytes) -> bytes:
    """The page with the live-reload script before its closing body tag."""
    script = RELOAD_SCRIPT.encode()
    index = html.lower().rfind(b"</body>")
    if index < 0:
        return html + script
    return html[:index] + script + html[index:]
