// The list pages' selection for printing labels (templates/labels/_print_selection.html): the ticks
// of each list are kept in sessionStorage ("shelfscan.selection.<type>"), so they survive paging,
// searching and reloads in this tab; the bar shows "N selected" with a Clear button, and the header's
// select-all box ticks or clears the rows on this page. Sending the form sends every kept id, in the
// order they were ticked; with none it says "Tick the rows to print first" beside the button instead.
// Attributes: form[data-selection=<type>] holding checkboxes name="id", [data-select-all],
// [data-selection-count], [data-selection-clear], [data-selection-message], [data-selection-extra].
// Wired on htmx:load: searching and paging swap the rows (and the select-all box) in again.
(() => {
  "use strict";
  const MESSAGE = "Tick the rows to print first.";

  const storeKey = (form) => `shelfscan.selection.${form.dataset.selection}`;
  const rowBoxes = (form) => [...form.querySelectorAll('input[type="checkbox"][name="id"]')];

  function load(form) {
    try {
      const ids = JSON.parse(sessionStorage.getItem(storeKey(form)) || "[]");
      return new Set(Array.isArray(ids) ? ids.map(String) : []);
    } catch {
      return new Set();
    }
  }

  function save(form, ids) {
    sessionStorage.setItem(storeKey(form), JSON.stringify([...ids]));
  }

  // The page as the kept selection says: ticks, the select-all box, the count and Clear.
  function show(form, ids) {
    const boxes = rowBoxes(form);
    for (const box of boxes) box.checked = ids.has(box.value);
    const ticked = boxes.filter((box) => box.checked).length;
    const all = form.querySelector("[data-select-all]");
    if (all) {
      all.hidden = boxes.length === 0;
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    const count = form.querySelector("[data-selection-count]");
    count.textContent = `${ids.size} selected`;
    count.hidden = ids.size === 0;
    form.querySelector("[data-selection-clear]").hidden = ids.size === 0;
    if (ids.size) form.querySelector("[data-selection-message]").textContent = "";
  }

  function onChange(event) {
    const form = event.currentTarget;
    const target = event.target;
    const ids = load(form);
    if (target.matches("[data-select-all]")) {
      for (const box of rowBoxes(form)) {
        if (target.checked) ids.add(box.value);
        else ids.delete(box.value);
      }
    } else if (target.matches('input[type="checkbox"][name="id"]')) {
      ids.delete(target.value); // re-ticking moves a row to the end: the labels print in ticking order
      if (target.checked) ids.add(target.value);
    } else {
      return;
    }
    save(form, ids);
    show(form, ids);
  }

  // Every kept id goes as a hidden field in ticking order; the row boxes sit this one submission out.
  function onSubmit(event) {
    const form = event.currentTarget;
    const ids = load(form);
    for (const box of rowBoxes(form)) if (box.checked) ids.add(box.value);
    if (!ids.size) {
      event.preventDefault();
      const message = form.querySelector("[data-selection-message]");
      message.textContent = "";
      requestAnimationFrame(() => { message.textContent = MESSAGE; }); // announced again on a second click
      return;
    }
    const extra = form.querySelector("[data-selection-extra]");
    extra.replaceChildren(...[...ids].map((id) => Object.assign(document.createElement("input"),
      { type: "hidden", name: "id", value: id })));
    const boxes = rowBoxes(form);
    for (const box of boxes) box.disabled = true;
    setTimeout(() => { for (const box of boxes) box.disabled = false; }, 0); // the form data is taken by then
  }

  function wire(form) {
    if (form.dataset.selectionWired) return;
    form.dataset.selectionWired = "1";
    form.addEventListener("change", onChange);
    form.addEventListener("submit", onSubmit);
    form.querySelector("[data-selection-clear]").addEventListener("click", () => {
      save(form, new Set());
      show(form, new Set());
    });
  }

  document.addEventListener("htmx:load", (event) => {
    const form = event.detail.elt.closest?.("form[data-selection]") || event.detail.elt.querySelector?.("form[data-selection]");
    if (!form) return;
    wire(form);
    show(form, load(form));
  });
  // Back and forward may show the page from the cache, with the ticks of that moment.
  window.addEventListener("pageshow", () => {
    for (const form of document.querySelectorAll("form[data-selection]")) show(form, load(form));
  });
})();
