// The /scan/check page: shows the last keyboard scan key by key (scanner.js records it).
(function () {
  "use strict";
  var NAMES = { "\x1d": "\u241d GS", "\x1e": "\u241e RS", "\x04": "\u2404 EOT", " ": "\u2423 space" };

  function shown(text) { return NAMES[text] || text || "(nothing)"; }
  function visible(text) {
    return text.replace(/[\x00-\x1f]/g, function (ch) { return String.fromCharCode(0x2400 + ch.charCodeAt(0)); });
  }

  function addTerm(list, term, value) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = term;
    dd.textContent = value;
    list.append(dt, dd);
  }

  function render(root, report) {
    if (!report || !report.keys) return;
    var summary = root.querySelector("[data-check-summary]");
    var table = root.querySelector("[data-check-keys]");
    root.querySelector("[data-check-empty]").hidden = true;
    summary.hidden = table.hidden = false;
    summary.textContent = "";
    var keys = report.keys;
    var total = keys.length > 1 ? Math.round(keys[keys.length - 1].at - keys[0].at) : 0;
    addTerm(summary, "Data", visible(report.text));
    addTerm(summary, "Keys", keys.length + " in " + total + " ms (longest gap " + report.maxGap + " ms)");
    addTerm(summary, "Ends with", report.suffix === "pause"
      ? "a pause: the scanner sends no suffix; configure Enter as suffix for faster scans" : report.suffix);
    addTerm(summary, "GS separator arrived", report.gs ? "yes" : "no (scan the separators test code to check)");
    addTerm(summary, "Keyboard layout", report.mismatched
      ? report.mismatched + " keys typed differently on this computer than the US scanner meant; " +
        (report.layout === "us" ? "rebuilt from the physical keys (layout setting 'us')" : "set the layout setting to 'us' to fix them")
      : "this computer's layout matches the scanner's");
    var body = table.querySelector("tbody");
    body.textContent = "";
    keys.forEach(function (key, i) {
      var row = body.insertRow();
      [String(i + 1), key.code, (key.shift ? "Shift " : "") + (key.ctrl ? "Ctrl" : ""), shown(key.typed),
        shown(key.meant), String(key.gap)].forEach(function (value, col) {
        var cell = row.insertCell();
        cell.textContent = value;
        if (col === 0 || col === 5) cell.className = "num";
        if (col === 4 && key.typed !== key.meant) cell.className = "ctl";
      });
    });
    document.querySelectorAll("[data-check-expected]").forEach(function (item) {
      var verdict = item.querySelector("[data-check-verdict]");
      var expected = JSON.parse(item.dataset.checkExpected);
      var exact = report.text === expected;
      verdict.hidden = !exact;
      verdict.className = "badge ok";
      verdict.textContent = exact ? "arrived exactly" : "";
    });
  }

  function init(root) {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem("shelfscan.lastScan")); } catch (e) { saved = null; }
    render(root, saved);
    document.addEventListener("shelfscan:scanned", function (event) { render(root, event.detail); });
  }

  window.ShelfscanCheck = { init: init };
})();
