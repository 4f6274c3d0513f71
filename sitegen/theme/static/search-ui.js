// The search page: results as you type, arrow keys and Enter, the query kept in the URL.
// A classic script (it must run from file:// too) on top of window.sitegenSearch, which
// sitegen-search.global.js defines. Results are built from text nodes, never from HTML.
(function () {
  "use strict";
  const form = document.querySelector("form[data-search-index]");
  const api = window.sitegenSearch;
  if (!form || !api) return;
  const input = form.elements.namedItem("q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const controls = ["topic", "source", "author", "from", "to", "sort"].map((name) => form.elements.namedItem(name));
  const here = new URL(window.location.href);
  const indexBase = new URL(".", new URL(form.dataset.searchIndex, here));
  const rootLink = new URL(form.dataset.siteRoot, here);
  const offline = rootLink.pathname.endsWith("/index.html");
  const root = new URL(".", rootLink);
  const ready = api.createSearch({ baseUrl: indexBase.href });
  let sequence = 0;
  let timer = 0;

  function pageUrl(url) {
    const target = new URL(url.replace(/^\/+/, ""), root);
    if (offline && target.pathname.endsWith("/")) target.pathname += "index.html";
    return target.href;
  }

  function options() {
    const value = (name) => form.elements.namedItem(name).value.trim();
    return {
      limit: 20,
      prefix: true,
      sort: value("sort") === "date" ? "date" : "relevance",
      filters: {
        topic: value("topic") || null,
        source: value("source") || null,
        author: value("author") || null,
        yearFrom: value("from") || null,
        yearTo: value("to") || null,
      },
    };
  }

  function keepInUrl() {
    const params = new URLSearchParams();
    for (const element of [input, ...controls]) {
      if (element.value.trim() && !(element.name === "sort" && element.value === "relevance")) {
        params.set(element.name, element.value.trim());
      }
    }
    const query = params.toString();
    try {
      window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
    } catch {
      // Some browsers refuse history changes on file:// pages; the search still works.
    }
  }

  function render(results, query) {
    list.replaceChildren();
    results.forEach((result, index) => {
      const item = document.createElement("li");
      item.className = "search-result";
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = pageUrl(result.url);
      link.textContent = result.title;
      link.id = `search-result-${index}`;
      heading.append(link);
      const date = document.createElement("time");
      date.dateTime = result.date;
      date.textContent = result.date;
      date.className = "muted";
      const snippet = document.createElement("p");
      snippet.className = "search-snippet";
      for (const part of result.snippet) {
        if (part.match) {
          const mark = document.createElement("mark");
          mark.textContent = part.text;
          snippet.append(mark);
        } else {
          snippet.append(document.createTextNode(part.text));
        }
      }
      item.append(heading, date, snippet);
      list.append(item);
    });
    const total = results.total ?? results.length;
    if (!query.trim()) status.textContent = "";
    else if (!total) status.textContent = `No results for “${query}”.`;
    else status.textContent = `${total} result${total === 1 ? "" : "s"}${total > results.length ? `, best ${results.length} shown` : ""}.`;
  }

  async function run() {
    const mine = ++sequence;
    const query = input.value;
    keepInUrl();
    if (!query.trim()) {
      render([], query);
      return;
    }
    form.setAttribute("aria-busy", "true");
    try {
      const search = await ready;
      const results = await search.search(query, options());
      if (mine === sequence) render(results, query);
    } catch (error) {
      if (mine === sequence) {
        list.replaceChildren();
        status.textContent = `Search is unavailable: ${error.message}`;
      }
    } finally {
      if (mine === sequence) form.removeAttribute("aria-busy");
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 120);
  }

  function links() {
    return [...list.querySelectorAll(".search-result h2 a")];
  }

  input.addEventListener("input", schedule);
  for (const control of controls) control.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first && document.activeElement !== input) first.click();
    else run();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) all[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? all[at - 1] : input).focus();
    else if (event.key === "Escape") input.focus();
    else return;
    event.preventDefault();
  });

  async function fillFacets() {
    try {
      const facets = await (await ready).facets();
      for (const select of form.querySelectorAll("select[data-facet]")) {
        const wanted = here.searchParams.get(select.name) ?? "";
        for (const [name, slug, , count] of facets[select.dataset.facet] ?? []) {
          const option = new Option(`${name} (${count})`, slug, false, slug === wanted);
          select.append(option);
        }
      }
    } catch {
      // Without the facet list the filters stay at "any"; searching still works.
    }
  }

  for (const element of [input, ...controls]) {
    const value = here.searchParams.get(element.name);
    if (value !== null && element.tagName !== "SELECT") element.value = value;
    if (value !== null && element.name === "sort") element.value = value === "date" ? "date" : "relevance";
  }
  if (["topic", "source", "author", "from", "to"].some((name) => here.searchParams.get(name))) {
    form.querySelector("details").open = true;
  }
  fillFacets().then(() => {
    if (input.value.trim()) run();
  });
  input.focus();
})();
