// Scan sessions, moves and receiving: a wedge scanner types into a focused input; Enter or Tab sends the
// scan through htmx one request at a time, in order, so fast scanning loses nothing; the input empties and
// keeps focus; each new [data-outcome] row asks feedback.js for its tone and vibration (accepted, warning,
// error). The session's camera is camera.js, which sends what it reads through the same form. On a phone
// (coarse pointer) the input is not focused, so no keyboard covers the page, unless typing was the last
// way used there. Attributes: form[data-session-scan] (data-target, data-swap), input[data-session-input],
// input[data-control-keys] (Ctrl+] Ctrl+^ Ctrl+D type GS RS EOT), [data-scan-camera] (camera.js).
(() => {
  "use strict";
  const CONTROL_KEYS = { BracketRight: "\x1d", Digit6: "\x1e", KeyD: "\x04" };
  const MODE = "shelfscan.scanMode"; // shared with scanner.js and camera.js

  const feedback = (level) => document.dispatchEvent(new CustomEvent("shelfscan:feedback", { detail: { level } }));

  function lastMode() {
    try { return localStorage.getItem(MODE) || "camera"; } catch { return "camera"; }
  }

  // A phone's keyboard would cover the page: focus the input there only for someone who types.
  const keyboardWanted = () => !matchMedia("(pointer: coarse)").matches || lastMode() === "type";

  function insert(input, text) {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    input.selectionStart = input.selectionEnd = start + text.length;
  }

  function onKey(event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("[data-session-input], [data-control-keys]")) return;
    if (input.value === "") input.dataset.firstKeyAt = String(performance.now());
    const control = event.ctrlKey && !event.altKey && !event.metaKey && CONTROL_KEYS[event.code];
    if (control) {
      event.preventDefault();
      insert(input, control);
    } else if (event.key === "Tab" && input.matches("[data-session-input]") && input.value !== "") {
      event.preventDefault();
      input.form.requestSubmit();
    }
    if (event.key === "Enter" || event.key === "Tab") {
      try { localStorage.setItem(MODE, "type"); } catch { /* private mode */ }
    }
  }

  function focusInput() {
    const input = document.querySelector("[data-session-input]");
    const active = document.activeElement;
    const busy = active && active !== input && active.matches("input, select, textarea");
    if (input && !busy && keyboardWanted()) input.focus();
  }

  let queue = Promise.resolve();

  function onSubmit(event) {
    const form = event.target;
    if (!form.matches("form[data-session-scan]") || !window.htmx) return;
    event.preventDefault();
    const input = form.querySelector("[data-session-input]");
    const values = { barcode: input.value };
    const last = document.querySelector(`input[name="last_line"][form="${form.id}"]`);
    if (last) values.last_line = last.value;
    const startedAt = Number(input.dataset.firstKeyAt || performance.now());
    input.value = "";
    delete input.dataset.firstKeyAt;
    if (!values.barcode.trim()) return;
    const target = document.querySelector(form.dataset.target);
    queue = queue.then(() => htmx.ajax("POST", form.action, {
      source: form, target, swap: form.dataset.swap || "innerHTML", values,
    })).then(() => {
      const row = document.querySelector(`${form.dataset.target} [data-outcome], ${form.dataset.target}[data-outcome]`);
      if (row) row.dataset.scanMs = (performance.now() - startedAt).toFixed(1);
    }).catch(() => feedback("error"));
    focusInput();
  }

  function onLoad(event) {
    const root = event.detail.elt;
    const rows = root.matches("[data-outcome]") ? [root] : [...root.querySelectorAll("[data-outcome]")];
    const fresh = rows.filter((row) => !row.dataset.beeped);
    for (const row of fresh) row.dataset.beeped = "1";
    if (fresh.length) feedback(fresh[0].dataset.outcome);
    focusInput();
  }

  document.addEventListener("keydown", onKey, true);
  document.addEventListener("submit", onSubmit);
  document.addEventListener("htmx:load", onLoad);
})();
