// The search page: results as you type, arrow keys and Enter, the query kept in the URL,
// sections under each result, and a "More results" button for the next page.
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
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = "More results";
  more.hidden = true;
  list.after(more);
  const PAGE = 20;
  let sequence = 0;
  let timer = 0;
  let settle = 0;
  let shown = [];

  function pageUrl(url) {
    const target = new URL(url.replace(/^\/+/, ""), root);
    if (offline && target.pathname.endsWith("/")) target.pathname += "index.html";
    return target.href;
  }

  // While keys come, results show without loading excerpts; once typing pauses, with them.
  function options(snippets = true, offset = 0) {
    const value = (name) => form.elements.namedItem(name).value.trim();
    return {
      limit: PAGE,
      offset,
      snippets,
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

  function marked(parts, element) {
    for (const part of parts) {
      if (part.match) {
        const mark = document.createElement("mark");
        mark.textContent = part.text;
        element.append(mark);
      } else {
        element.append(document.createTextNode(part.text));
      }
    }
    return element;
  }

  function card(result, index) {
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = pageUrl(result.url);
    link.textContent = result.title;
    link.id = `search-result-${index}`;
    heading.append(link);
    const byline = document.createElement("p");
    byline.className = "muted search-byline";
    const date = document.createElement("time");
    date.dateTime = result.date;
    date.textContent = result.date;
    byline.append(date);
    const add = (label, fill) => {
      const span = document.createElement("span");
      span.className = `search-${label}`;
      fill(span);
      byline.append(" · ", span);
    };
    const authors = result.authors ?? [];
    if (authors.length) {
      add("authors", (span) =>
        authors.forEach((parts, i) => {
          if (i) span.append(", ");
          marked(parts, span);
        }),
      );
    }
    if (result.topics?.length) add("topics", (span) => span.append(result.topics.join(", ")));
    if (result.source) add("source", (span) => span.append(result.source));
    const snippet = marked(result.snippet, document.createElement("p"));
    snippet.className = "search-snippet";
    item.append(heading, byline, snippet);
    if (result.sections?.length) {
      const sections = document.createElement("ul");
      sections.className = "search-sections";
      for (const section of result.sections) {
        const entry = document.createElement("li");
        const to = document.createElement("a");
        to.href = pageUrl(section.url);
        to.textContent = section.title;
        to.className = "search-section-link";
        const text = marked(section.snippet, document.createElement("span"));
        text.className = "search-snippet";
        entry.append(to, " ", text);
        sections.append(entry);
      }
      item.append(sections);
    }
    return item;
  }

  function render(results, query, append = false) {
    const same = !append && results.length === shown.length && results.every((r, i) => r.url === shown[i].url);
    if (same) {
      // The same results again, now with excerpts: fill them in around the links, so that
      // a link the keyboard is on keeps its focus.
      [...list.children].forEach((item, index) => {
        const fresh = card(results[index], index);
        for (const child of [...item.children]) if (child.tagName !== "H2") child.remove();
        item.append(...[...fresh.children].filter((child) => child.tagName !== "H2"));
      });
      shown = [];
    } else if (!append) {
      list.replaceChildren();
      shown = [];
    }
    if (!same) results.forEach((result, index) => list.append(card(result, shown.length + index)));
    shown = [...shown, ...results];
    const total = results.total ?? shown.length;
    more.hidden = !(query.trim() && total > shown.length);
    if (!query.trim()) status.textContent = "";
    else if (!total) status.textContent = `No results for “${query}”.`;
    else status.textContent = `${total} result${total === 1 ? "" : "s"}${total > shown.length ? `, best ${shown.length} shown` : ""}.`;
    if (!append && results.suggestion && results.suggestion !== query.trim()) {
      const fix = document.createElement("a");
      fix.href = `?q=${encodeURIComponent(results.suggestion)}`;
      fix.textContent = results.suggestion;
      fix.className = "search-suggestion";
      fix.addEventListener("click", (event) => {
        event.preventDefault();
        input.value = results.suggestion;
        run();
      });
      status.append(" Did you mean ", fix, "?");
    }
  }

  async function run(snippets = true) {
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
      const results = await search.search(query, options(snippets));
      if (mine === sequence) render(results, query);
    } catch (error) {
      if (mine === sequence) {
        list.replaceChildren();
        more.hidden = true;
        status.textContent = `Search is unavailable: ${error.message}`;
      }
    } finally {
      if (mine === sequence) form.removeAttribute("aria-busy");
    }
  }

  async function loadMore() {
    const mine = sequence;
    const query = input.value;
    const first = shown.length;
    more.disabled = true;
    try {
      const results = await (await ready).search(query, options(true, first));
      if (mine !== sequence) return;
      render(results, query, true);
      links()[first]?.focus(); // the first new result, so the keyboard carries on from there
    } catch (error) {
      status.textContent = `Search is unavailable: ${error.message}`;
    } finally {
      more.disabled = false;
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    window.clearTimeout(settle);
    timer = window.setTimeout(() => run(false), 120);
    settle = window.setTimeout(() => run(true), 450);
  }

  function links() {
    return [...list.querySelectorAll(".search-result h2 a")];
  }

  input.addEventListener("input", schedule);
  for (const control of controls) control.addEventListener("change", () => run());
  more.addEventListener("click", loadMore);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first && document.activeElement !== input) first.click();
    else {
      window.clearTimeout(timer);
      window.clearTimeout(settle);
      run();
    }
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
    else if (event.key === "ArrowDown" && !more.hidden) more.focus();
    else if (event.key === "ArrowUp") (at > 0 ? all[at - 1] : input).focus();
    else if (event.key === "Escape") input.focus();
    else return;
    event.preventDefault();
  });

  more.addEventListener("keydown", (event) => {
    const all = links();
    if (event.key === "ArrowUp" && all.length) all[all.length - 1].focus();
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
