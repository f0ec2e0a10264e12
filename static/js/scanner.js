// Keyboard-wedge scanning: the global burst detector, the scan dialog and the /scan/check page.
// Settings come from data-* attributes on the scan dialog; no inline script, no build step.
(function () {
  "use strict";
  var CTRL = { GS: "\x1d", RS: "\x1e", EOT: "\x04" };
  var MIN_SCAN_LENGTH = 4; // a person can hit two or three keys at once, never four in rhythm
  var US = { Space: [" ", " "], Minus: ["-", "_"], Equal: ["=", "+"], BracketLeft: ["[", "{"],
    BracketRight: ["]", "}"], Backslash: ["\\", "|"], Semicolon: [";", ":"], Quote: ["'", "\""],
    Backquote: ["`", "~"], Comma: [",", "<"], Period: [".", ">"], Slash: ["/", "?"],
    NumpadDecimal: [".", "."], NumpadAdd: ["+", "+"], NumpadSubtract: ["-", "-"],
    NumpadMultiply: ["*", "*"], NumpadDivide: ["/", "/"] };
  var SHIFTED_DIGITS = ")!@#$%^&*(";
  for (var d = 0; d < 10; d++) {
    US["Digit" + d] = [String(d), SHIFTED_DIGITS[d]];
    US["Numpad" + d] = [String(d), String(d)];
  }
  for (var c = 65; c <= 90; c++) {
    var letter = String.fromCharCode(c);
    US["Key" + letter] = [letter.toLowerCase(), letter];
  }

  function settings() {
    var dialog = document.querySelector("[data-scan-dialog]");
    var data = dialog ? dialog.dataset : {};
    return { delay: parseInt(data.inputDelay || "50", 10), layout: data.layout || "us", dialog: dialog };
  }

  // The character a US keyboard makes for this physical key, or "" when the key is not on it.
  // Shift counts as held when the host typed exactly the US shifted character (synthetic input
  // such as test drivers sends "S" without the Shift flag; no common layout makes that clash).
  function usChar(event) {
    var pair = US[event.code];
    if (!pair) return "";
    return pair[event.shiftKey || event.key === pair[1] ? 1 : 0];
  }

  // The control character a Ctrl combination stands for (as scanners send GS, RS, EOT), or "".
  function controlChar(event) {
    if (!event.ctrlKey || event.altKey || event.metaKey) return "";
    if (event.code === "BracketRight" || event.key === "]" || event.key === "}") return CTRL.GS;
    if (event.code === "Digit6" && event.shiftKey || event.key === "^") return CTRL.RS;
    if (event.code === "KeyD" || event.key === "d" || event.key === "D") return CTRL.EOT;
    return "";
  }

  function isTextField(element) {
    if (!element || element === document.body) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    return !/^(button|submit|reset|checkbox|radio|range|color|file|image|hidden)$/i.test(element.type);
  }

  // Keys further apart than this belong to different bursts; it is also the pause that ends a scan.
  function breakGap(delay) { return Math.max(delay * 4, 200); }

  // One burst of keys: what each key typed on this host and what a US scanner meant by it.
  function Burst() { this.keys = []; this.human = false; }
  Burst.prototype.add = function (event, control, delay) {
    var now = event.timeStamp || performance.now();
    var last = this.keys[this.keys.length - 1];
    var gap = last ? now - last.at : 0;
    var typed = control || (event.key && event.key.length === 1 ? event.key : "");
    this.keys.push({ code: event.code, key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey,
      typed: typed, meant: control || usChar(event) || typed, gap: Math.round(gap), at: now });
  };
  Burst.prototype.text = function (layout) {
    return this.keys.map(function (k) { return layout === "us" ? k.meant : k.typed; }).join("");
  };
  // A scan: enough keys whose median gap is within the delay. The median forgives the odd key a
  // busy computer holds back; a person (even a fast typist, ~80 ms a key) is slower on most keys.
  Burst.prototype.isScan = function (now, delay) {
    var n = this.keys.length, last = this.keys[n - 1];
    if (this.human || n < MIN_SCAN_LENGTH || (now !== null && now - last.at > breakGap(delay))) return false;
    var gaps = this.keys.slice(1).map(function (k) { return k.gap; }).sort(function (a, b) { return a - b; });
    return gaps[Math.floor((gaps.length - 1) / 2)] <= delay;
  };
  Burst.prototype.report = function (suffix, layout) {
    var keys = this.keys;
    return { keys: keys, suffix: suffix, text: this.text(layout), layout: layout,
      at: new Date().toISOString(), gs: keys.some(function (k) { return k.meant === CTRL.GS; }),
      mismatched: keys.filter(function (k) { return k.typed !== k.meant; }).length,
      maxGap: Math.max.apply(null, keys.slice(1).map(function (k) { return k.gap; }).concat([0])) };
  };

  // --- The scan itself: post through the dialog form so htmx handles redirect or fragment. ---
  function submitScan(text, source) {
    var dialog = settings().dialog;
    var form = dialog && dialog.querySelector("[data-scan-form]");
    if (!form) return;
    form.querySelector("[data-scan-input]").value = text;
    form.querySelector("[data-scan-source]").value = source;
    form.requestSubmit();
  }

  function remember(report) {
    try { sessionStorage.setItem("shelfscan.lastScan", JSON.stringify(report)); } catch (e) { /* private mode */ }
    document.dispatchEvent(new CustomEvent("shelfscan:scanned", { detail: report }));
  }

  // --- Global wedge: keys typed while no text field has focus. ---
  var wedge = new Burst();
  var pauseTimer = null;

  function finishWedge(suffix) {
    var conf = settings();
    clearTimeout(pauseTimer);
    var burst = wedge;
    wedge = new Burst();
    var report = burst.report(suffix, conf.layout);
    remember(report);
    if (!document.querySelector("[data-scan-check]")) submitScan(report.text, "wedge");
  }

  function onGlobalKey(event) {
    if (event.defaultPrevented || event.isComposing || isTextField(event.target)) return;
    var open = document.querySelector("dialog[open]");
    if (open) return; // a dialog has its own input
    var conf = settings();
    if (!conf.dialog) return;
    var now = event.timeStamp || performance.now();
    if (event.key === "Enter" || event.key === "Tab") {
      if (wedge.keys.length && wedge.isScan(now, conf.delay)) {
        event.preventDefault();
        finishWedge(event.key);
      } else {
        wedge = new Burst();
      }
      return;
    }
    var control = controlChar(event);
    var last = wedge.keys[wedge.keys.length - 1];
    var inBurst = last && now - last.at <= breakGap(conf.delay);
    if (control && inBurst) event.preventDefault(); // mid-scan; Ctrl+D would bookmark the page
    else if (control || event.ctrlKey || event.altKey || event.metaKey) return; // a person's shortcut
    else if (!(usChar(event) || event.key.length === 1)) return;
    if (!inBurst) wedge = new Burst(); // a pause ended whatever came before
    wedge.add(event, control, conf.delay);
    if (control === CTRL.EOT && wedge.isScan(null, conf.delay)) { finishWedge("EOT"); return; }
    clearTimeout(pauseTimer);
    // A scanner with no suffix just stops: a pause after a fast burst ends the scan.
    pauseTimer = setTimeout(function () {
      if (wedge.isScan(null, conf.delay)) finishWedge("pause"); else wedge = new Burst();
    }, breakGap(conf.delay));
  }

  // --- The dialog's own input: rebuild a scanned burst from the physical keys on submit. ---
  function initInput(input) {
    var burst = new Burst();
    var form = input.form;
    function reset() { burst = new Burst(); }
    input.addEventListener("keydown", function (event) {
      var conf = settings();
      var control = controlChar(event);
      if (event.key === "Tab" && !input.value) return; // an empty field never traps the focus
      if (!input.value) reset(); // a cleared field starts afresh, whatever was typed before
      if (event.key === "Enter" || event.key === "Tab" || control === CTRL.EOT) {
        event.preventDefault();
        if (control) burst.add(event, control, conf.delay);
        if (burst.isScan(null, conf.delay) && burst.text("host") === input.value + (control || "")) {
          input.value = burst.text(conf.layout);
          remember(burst.report(control ? "EOT" : event.key, conf.layout));
        } else if (control) {
          input.value += control;
        }
        reset();
        if (input.value) form.requestSubmit();
        return;
      }
      if (control) {
        event.preventDefault();
        burst.add(event, control, conf.delay);
        input.setRangeText(control, input.selectionStart, input.selectionEnd, "end");
      } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        burst.add(event, "", conf.delay);
      } else if (event.key !== "Shift") {
        burst.human = true; // editing keys: a person is at work
      }
    });
    input.addEventListener("paste", function () { burst.human = true; });
    input.addEventListener("focus", reset);
  }

  function openDialog(dialog) {
    if (!dialog.open) dialog.showModal();
    var input = dialog.querySelector("[data-scan-input]");
    dialog.querySelector("[data-scan-source]").value = "dialog";
    input.value = "";
    input.focus();
  }

  function initDialog(dialog) {
    // A wedge scan that did not redirect (no match, a choice, an error) shows its answer in the dialog.
    dialog.addEventListener("htmx:afterSwap", function () {
      if (!dialog.open) dialog.showModal();
      var input = dialog.querySelector("[data-scan-input]");
      input.value = "";
      input.focus();
    });
    dialog.addEventListener("close", function () {
      var slot = dialog.querySelector(".scan-result-slot");
      if (slot) slot.textContent = "";
    });
  }

  function initOpener(button) {
    button.addEventListener("click", function (event) {
      var dialog = settings().dialog;
      if (!dialog) return; // no dialog: the button's form opens the scan page
      event.preventDefault();
      openDialog(dialog);
    });
  }

  function once(root, selector, init) {
    var nodes = root.querySelectorAll ? root.querySelectorAll(selector) : [];
    var list = Array.prototype.slice.call(nodes);
    if (root.matches && root.matches(selector)) list.push(root);
    list.forEach(function (node) {
      if (node.dataset.scanReady) return;
      node.dataset.scanReady = "1";
      init(node);
    });
  }

  function initAll(root) {
    once(root, "[data-scan-input]", initInput);
    once(root, "[data-scan-dialog]", initDialog);
    once(root, "[data-scan-open]", initOpener);
    once(root, "[data-scan-check]", window.ShelfscanCheck ? window.ShelfscanCheck.init : function () {});
  }

  document.addEventListener("keydown", onGlobalKey);
  document.addEventListener("keydown", function (event) {
    // Alt+S opens the dialog from anywhere (by physical key, so any layout).
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyS" && settings().dialog) {
      event.preventDefault();
      openDialog(settings().dialog);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    initAll(document.body);
    if (window.htmx) window.htmx.onLoad(initAll);
  });
  window.ShelfscanScanner = { usChar: usChar, CTRL: CTRL };
})();
