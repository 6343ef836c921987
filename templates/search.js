// lessonkit's search page: queries the site's Pagefind index (pagefind/, written by
// `lessonkit render`) and lists each matching page with its best sections. Everything it
// fetches is in the site's own folder. Without JavaScript the page says so and the sidebar
// and overview still reach every lesson.
const root = new URL(".", import.meta.url);
const form = document.querySelector(".search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_RESULTS = 20;
const MAX_SECTIONS = 3;

function text(node, value) {
  node.textContent = value;
  return node;
}

function element(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

// An excerpt is escaped text with <mark> around the hits: rebuilt here from its text alone,
// so nothing in it becomes markup but the marks.
function excerpt(html) {
  const paragraph = element("p", "excerpt");
  const parts = String(html).split(/<mark>|<\/mark>/);
  parts.forEach((part, index) => {
    const value = new DOMParser().parseFromString(part, "text/html").documentElement.textContent;
    paragraph.append(index % 2 ? text(element("mark"), value) : document.createTextNode(value));
  });
  return paragraph;
}

function href(url) {
  return new URL(String(url).replace(/^\/+/, ""), root).href;
}

let pagefind = null;
async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.init();
  }
  return pagefind;
}

let latest = 0;
async function run(query) {
  const ticket = ++latest;
  list.replaceChildren();
  if (!query.trim()) {
    text(status, "Type a word or two to search the course.");
    return;
  }
  text(status, "Searching…");
  let found;
  try {
    found = await (await engine()).search(query);
  } catch (error) {
    text(status, "The search index could not be loaded; render the site again to rebuild it.");
    return;
  }
  if (ticket !== latest) return;
  const pages = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  if (ticket !== latest) return;
  text(status, pages.length ? `${found.results.length} pages match “${query}”.` : `Nothing matches “${query}”.`);
  for (const page of pages) {
    const item = element("li", "search-result");
    const heading = element("p", "result-title");
    const link = text(element("a"), page.meta.title || page.url);
    link.href = href(page.url);
    heading.append(link);
    if (page.meta.kind) heading.append(" ", text(element("span", "badge"), page.meta.kind));
    item.append(heading);
    const sections = (page.sub_results || []).filter((s) => s.url !== page.url).slice(0, MAX_SECTIONS);
    if (sections.length) {
      const inner = element("ul", "result-sections");
      for (const section of sections) {
        const entry = element("li");
        const anchor = text(element("a"), section.title);
        anchor.href = href(section.url);
        entry.append(anchor, excerpt(section.excerpt));
        inner.append(entry);
      }
      item.append(inner);
    } else {
      item.append(excerpt(page.excerpt));
    }
    list.append(item);
  }
}

if (form && input && status && list) {
  const query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  const header = document.getElementById("site-search");
  if (header) header.value = query;
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      run(input.value);
    }, 200);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value);
  });
  run(query);
  input.focus();
}
