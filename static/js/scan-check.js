// The /scan/check page: shows the last keyboard scan key by key, with what each key typed on this
// computer and what the scanner meant, the gaps between keys, the suffix and whether GS arrived.
// scanner.js records the scan (sessionStorage "shelfscan.lastScan", event "shelfscan:scanned").
// Attributes: [data-scan-check] holding [data-check-empty], [data-check-summary], [data-check-keys];
// each [data-check-expected] (the JSON text of a test code) gets its [data-check-verdict].
(() => {
  "use strict";
  // Control characters as the badges the server draws (visible() in blueprints/shared/display.py):
  // their ASCII names, as most fonts have no glyph for the Control Pictures (U+241D and the like).
  const ASCII = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI " +
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split(" ");
  const CONTROLS = /[\x00-\x1f\x7f]/;

  function copyOnly(text) {
    const span = document.createElement("span");
    span.className = "copy";
    span.textContent = text;
    return span;
  }

  function badge(ch) {
    const code = ch.charCodeAt(0);
    const span = document.createElement("span");
    span.className = "ctl";
    span.title = `control character (0x${code.toString(16).toUpperCase().padStart(2, "0")})`;
    span.append(copyOnly("<"), code === 0x7f ? "DEL" : ASCII[code], copyOnly(">"));  // copies as <GS>
    return span;
  }

  // The text as nodes: plain runs, and a badge for each control character.
  function visible(text) {
    const nodes = [];
    for (const part of text.split(/([\x00-\x1f\x7f])/)) {
      if (CONTROLS.test(part)) nodes.push(badge(part));
      else if (part) nodes.push(part);
    }
    return nodes;
  }

  function shown(text) {
    if (text === " ") return ["space"];
    return text ? visible(text) : ["(nothing)"];
  }

  function addTerm(list, term, value) {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = term;
    dd.append(...(Array.isArray(value) ? value : [value]));
    list.append(dt, dd);
  }

  function layoutVerdict(report) {
    if (!report.mismatched) return "this computer's layout matches the scanner's";
    const fix = report.layout === "us" ? "rebuilt from the physical keys (layout setting 'us')"
      : "set the layout setting to 'us' to fix them";
    return `${report.mismatched} keys typed differently on this computer than the US scanner meant; ${fix}`;
  }

  function render(root, report) {
    if (!report?.keys) return;
    const summary = root.querySelector("[data-check-summary]");
    const table = root.querySelector("[data-check-keys]");
    root.querySelector("[data-check-empty]").hidden = true;
    summary.hidden = table.hidden = false;
    summary.textContent = "";
    const keys = report.keys;
    const total = keys.length > 1 ? Math.round(keys[keys.length - 1].at - keys[0].at) : 0;
    addTerm(summary, "Data", visible(report.text));
    addTerm(summary, "Keys", `${keys.length} in ${total} ms (longest gap ${report.maxGap} ms)`);
    addTerm(summary, "Ends with", report.suffix === "pause"
      ? "a pause: the scanner sends no suffix; configure Enter as suffix for faster scans" : report.suffix);
    addTerm(summary, "GS separator arrived", report.gs ? "yes" : "no (scan the separators test code to check)");
    addTerm(summary, "Keyboard layout", layoutVerdict(report));
    const body = table.querySelector("tbody");
    body.textContent = "";
    for (const [i, key] of keys.entries()) {
      const row = body.insertRow();
      const values = [String(i + 1), key.code, (key.shift ? "Shift " : "") + (key.ctrl ? "Ctrl" : ""),
        shown(key.typed), shown(key.meant), String(key.gap)];
      for (const [col, value] of values.entries()) {
        const cell = row.insertCell();
        cell.append(...(Array.isArray(value) ? value : [value]));
        if (col === 0 || col === 5) cell.className = "num";
        if (col === 4 && key.typed !== key.meant) cell.className = "ctl";
      }
    }
    for (const item of document.querySelectorAll("[data-check-expected]")) {
      const verdict = item.querySelector("[data-check-verdict]");
      const exact = report.text === JSON.parse(item.dataset.checkExpected);
      verdict.hidden = !exact;
      verdict.className = "badge ok";
      verdict.textContent = exact ? "arrived exactly" : "";
    }
  }

  function init(root) {
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem("shelfscan.lastScan")); } catch { saved = null; }
    render(root, saved);
    document.addEventListener("shelfscan:scanned", (event) => render(root, event.detail));
  }

  document.addEventListener("htmx:load", (event) => {
    for (const check of event.detail.elt.querySelectorAll("[data-scan-check]")) init(check);
  });
})();
