// Timeline filters: topic, actor, era, year range and words. The state lives in the URL
// (?topic=sanctions&from=2021) so a view can be shared, and Back returns to the previous one.
"use strict";
(() => {
  const form = document.getElementById("filters");
  if (!form) return;
  const status = document.getElementById("filter-status");
  const entries = Array.from(document.querySelectorAll("main .event-entry"));
  const KEYS = ["topic", "actor", "era", "from", "to", "q"];
  const fold = (text) => text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const words = new Map(entries.map((entry) => [entry, fold(entry.textContent + " " + (entry.dataset.words || ""))]));

  const stateFromUrl = () => {
    const params = new URLSearchParams(location.search);
    return Object.fromEntries(KEYS.map((key) => [key, params.get(key) || ""]));
  };
  const stateFromForm = () => Object.fromEntries(KEYS.map((key) => [key, form.elements[key].value.trim()]));
  const urlFor = (state) => {
    const params = new URLSearchParams();
    KEYS.forEach((key) => { if (state[key]) params.set(key, state[key]); });
    const query = params.toString();
    return location.pathname + (query ? "?" + query : "") + location.hash;
  };

  const matches = (entry, state) => {
    const data = entry.dataset;
    const year = Number(data.year);
    if (state.topic && !data.topics.split(" ").includes(state.topic)) return false;
    if (state.actor && !data.actors.split(" ").includes(state.actor)) return false;
    if (state.era && !data.eras.split(" ").includes(state.era)) return false;
    if (state.from && year < Number(state.from)) return false;
    if (state.to && year > Number(state.to)) return false;
    return fold(state.q).split(/\s+/).every((word) => words.get(entry).includes(word));
  };

  const show = (state) => {
    let shown = 0;
    entries.forEach((entry) => {
      entry.hidden = !matches(entry, state);
      if (!entry.hidden) shown += 1;
    });
    // Hide headings whose events are all hidden: month lists, then years, then eras.
    document.querySelectorAll("main ol.events").forEach((list) => {
      list.hidden = !list.querySelector(".event-entry:not([hidden])");
      const heading = list.previousElementSibling;
      if (heading && heading.matches(".month-heading")) heading.hidden = list.hidden;
    });
    document.querySelectorAll("main .year-heading").forEach((heading) => {
      let visible = false;
      for (let next = heading.nextElementSibling; next && !next.matches(".year-heading"); next = next.nextElementSibling) {
        if (next.matches("ol.events") && !next.hidden) visible = true;
      }
      heading.hidden = !visible;
    });
    document.querySelectorAll("main section.era").forEach((section) => {
      section.hidden = !section.querySelector("ol.events:not([hidden])");
    });
    const filtered = KEYS.some((key) => state[key]);
    status.textContent = filtered ? `Showing ${shown} of ${entries.length} events.` : `Showing all ${entries.length} events.`;
  };

  const fillForm = (state) => KEYS.forEach((key) => { form.elements[key].value = state[key]; });

  form.addEventListener("change", (event) => {
    if (event.target.name === "q") return;
    const state = stateFromForm();
    history.pushState(state, "", urlFor(state));
    show(state);
  });
  form.elements.q.addEventListener("input", () => {
    const state = stateFromForm();
    history.replaceState(state, "", urlFor(state));
    show(state);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    const state = Object.fromEntries(KEYS.map((key) => [key, ""]));
    fillForm(state);
    history.pushState(state, "", urlFor(state));
    show(state);
  });
  window.addEventListener("popstate", () => {
    const state = stateFromUrl();
    fillForm(state);
    show(state);
  });

  form.hidden = false;
  const initial = stateFromUrl();
  fillForm(initial);
  show(initial);
})();
