// Search page: results as you type, from Pagefind's chunked index (only the chunks for the
// words typed are downloaded). The query lives in the URL (?q=…) so a search can be shared.
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL("../", document.baseURI);
const LIMIT = 20;

document.getElementById("search-fallback").hidden = true;
form.hidden = false;

// The index is in shards (one Pagefind bundle per span of years, listed in shards.json): the
// first is loaded and the others merged into it, so one search covers every shard.
const shards = await (await fetch(new URL("pagefind/shards.json", root))).json();
const bundle = (name) => new URL(`pagefind/${name}`, root);
const pagefind = shards.length ? await import(new URL("pagefind.js", bundle(shards[0])).href) : null;
if (pagefind) {
  await pagefind.options({ baseUrl: root.pathname });
  for (const name of shards.slice(1)) await pagefind.mergeIndex(bundle(name).pathname, { baseUrl: root.pathname });
  pagefind.init();
}

// Each shard leaves out a word it does not hold, so in a shard without "geneva", "geneva talks"
// would match "talks" alone. One index requires every word it holds: keep only the pages that
// match each word found in some shard (the per-word searches reuse the chunks already loaded).
const everyWord = async (query, results) => {
  const words = query.trim().split(/\s+/);
  if (words.length < 2 || query.includes('"')) return results;
  const found = (await idsPerWord(words)).filter((ids) => ids.size);
  return results.filter((hit) => found.every((ids) => ids.has(hit.id)));
};

// The ids of the pages each search term matches, one set per term.
const idsPerWord = async (terms) => {
  const searches = await Promise.all(terms.map((term) => pagefind.search(term)));
  return searches.map((search) => new Set(search.results.map((hit) => hit.id)));
};

// Each shard ranks its pages by its own statistics, so a page holding the very word typed can come after
// pages of another shard that hold only longer words beginning with it ("bravo1" behind "bravo1015"), where
// one index puts the very word first. So do we: the pages that hold every word typed, whole (Pagefind's
// quoted search), come first, each group in Pagefind's order. Only for a query with a word of letters and
// digits (MH17, G20: names of numbered things, often the start of longer ones): ordinary words come in
// families Pagefind's stemming already joins, and a quoted search for a common one cost 0.45 s at 10,000 events.
const wholeWordsFirst = async (query, results) => {
  const words = query.trim().split(/\s+/);
  const numbered = words.some((word) => /\d/.test(word) && /\p{L}/u.test(word));
  if (results.length < 2 || query.includes('"') || !numbered) return results;
  const found = await idsPerWord(words.map((word) => `"${word}"`));
  const whole = (hit) => found.every((ids) => ids.has(hit.id));
  return [...results.filter(whole), ...results.filter((hit) => !whole(hit))];
};

const result = (data) => {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  item.append(link, excerptOf(data.excerpt));
  return item;
};

// Pagefind's excerpt is the page's text with <mark> around the words found. It is parsed inertly
// and only its text and <mark>s are kept, so nothing in an event's text can become markup here.
const excerptOf = (html) => {
  const excerpt = document.createElement("p");
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      excerpt.append(mark);
    } else {
      excerpt.append(node.textContent);
    }
  }
  return excerpt;
};

let latest = 0;
const run = async (query) => {
  const ticket = ++latest;
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  const search = pagefind ? await pagefind.debouncedSearch(query, {}, 150) : { results: [] };
  if (search === null || ticket !== latest) return;
  const results = await wholeWordsFirst(query, await everyWord(query, search.results));
  if (ticket !== latest) return;
  const found = await Promise.all(results.slice(0, LIMIT).map((hit) => hit.data()));
  if (ticket !== latest) return;
  list.replaceChildren(...found.map(result));
  const count = results.length;
  status.textContent = count === 0 ? `No events match “${query}”.`
    : `${count} event${count === 1 ? "" : "s"} match “${query}”${count > LIMIT ? `; the first ${LIMIT} are shown` : ""}.`;
};

form.addEventListener("submit", (event) => event.preventDefault());
input.addEventListener("input", () => run(input.value));
// Whatever was typed while the index was loading is searched now, else the query in the URL.
input.value ||= new URLSearchParams(location.search).get("q") || "";
if (input.value) run(input.value);
