// Keyboard-wedge scanning: the burst detector on every page, the scan dialog, Alt+S to open it.
// Attributes: [data-scan-dialog] (data-input-delay ms, data-layout "us" rebuilds what a US scanner
// meant from the physical keys) holding [data-scan-form], [data-scan-input], [data-scan-source];
// [data-scan-open] buttons. On a [data-scan-check] page scans are only recorded, never posted.
// Each keyboard scan is kept in sessionStorage and announced as a "shelfscan:scanned" event.
// On a phone (coarse pointer) the dialog opens in the way last used: the camera (the default; camera.js
// gets "shelfscan:camera-start") or, after typing, the focused text field. Only typing raises a keyboard.
// Elsewhere opening it tells camera.js to load its decoder ("shelfscan:camera-warm"), ready for Camera.
//
// Style of static/js/: plain ES2020 loaded with <script defer>, no modules and no build step; one
// "use strict" IIFE a file, opening with what it does and which data-* attributes drive it. const and
// let, arrow functions for callbacks, template literals, for...of, optional chaining. Behaviour hangs
// on data-* attributes: wired on htmx:load (htmx fires it for the page, for each swapped piece and for
// what it restores from history), or delegated from document; files talk only through DOM events.
(() => {
  "use strict";
  const CTRL = { GS: "\x1d", RS: "\x1e", EOT: "\x04" };
  const MIN_SCAN_LENGTH = 4; // a person can hit two or three keys at once, never four in rhythm
  const MODE = "shelfscan.scanMode"; // "camera" or "type", shared with camera.js and scan-session.js
  const US = { Space: [" ", " "], Minus: ["-", "_"], Equal: ["=", "+"], BracketLeft: ["[", "{"],
    BracketRight: ["]", "}"], Backslash: ["\\", "|"], Semicolon: [";", ":"], Quote: ["'", "\""],
    Backquote: ["`", "~"], Comma: [",", "<"], Period: [".", ">"], Slash: ["/", "?"],
    NumpadDecimal: [".", "."], NumpadAdd: ["+", "+"], NumpadSubtract: ["-", "-"],
    NumpadMultiply: ["*", "*"], NumpadDivide: ["/", "/"] };
  for (const [digit, shifted] of [...")!@#$%^&*("].entries()) {
    US[`Digit${digit}`] = [String(digit), shifted];
    US[`Numpad${digit}`] = [String(digit), String(digit)];
  }
  for (const letter of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") US[`Key${letter}`] = [letter.toLowerCase(), letter];

  function settings() {
    const dialog = document.querySelector("[data-scan-dialog]");
    const data = dialog?.dataset ?? {};
    return { delay: parseInt(data.inputDelay || "50", 10), layout: data.layout || "us", dialog };
  }

  // The character a US keyboard makes for this physical key, or "" when the key is not on it.
  // Shift counts as held when the host typed exactly the US shifted character (synthetic input
  // such as test drivers sends "S" without the Shift flag; no common layout makes that clash).
  function usChar(event) {
    const pair = US[event.code];
    if (!pair) return "";
    return pair[event.shiftKey || event.key === pair[1] ? 1 : 0];
  }

  // The control character a Ctrl combination stands for (as scanners send GS, RS, EOT), or "".
  function controlChar(event) {
    if (!event.ctrlKey || event.altKey || event.metaKey) return "";
    if (event.code === "BracketRight" || event.key === "]" || event.key === "}") return CTRL.GS;
    if ((event.code === "Digit6" && event.shiftKey) || event.key === "^") return CTRL.RS;
    if (event.code === "KeyD" || event.key === "d" || event.key === "D") return CTRL.EOT;
    return "";
  }

  function isTextField(element) {
    if (!element || element === document.body) return false;
    if (element.isContentEditable) return true;
    const tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    return !/^(button|submit|reset|checkbox|radio|range|color|file|image|hidden)$/i.test(element.type);
  }

  // Keys further apart than this belong to different bursts; it is also the pause that ends a scan.
  const breakGap = (delay) => Math.max(delay * 4, 200);

  // One burst of keys: what each key typed on this host and what a US scanner meant by it.
  class Burst {
    constructor() {
      this.keys = [];
      this.human = false;
    }

    get last() {
      return this.keys[this.keys.length - 1];
    }

    add(event, control) {
      const now = event.timeStamp || performance.now();
      const gap = this.last ? now - this.last.at : 0;
      const typed = control || (event.key?.length === 1 ? event.key : "");
      this.keys.push({ code: event.code, key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey,
        typed, meant: control || usChar(event) || typed, gap: Math.round(gap), at: now });
    }

    text(layout) {
      return this.keys.map((key) => (layout === "us" ? key.meant : key.typed)).join("");
    }

    // A scan: enough keys whose median gap is within the delay. The median forgives the odd key a
    // busy computer holds back; a person (even a fast typist, ~80 ms a key) is slower on most keys.
    isScan(now, delay) {
      if (this.human || this.keys.length < MIN_SCAN_LENGTH) return false;
      if (now !== null && now - this.last.at > breakGap(delay)) return false;
      const gaps = this.keys.slice(1).map((key) => key.gap).sort((a, b) => a - b);
      return gaps[Math.floor((gaps.length - 1) / 2)] <= delay;
    }

    report(suffix, layout) {
      const keys = this.keys;
      return { keys, suffix, text: this.text(layout), layout, at: new Date().toISOString(),
        gs: keys.some((key) => key.meant === CTRL.GS),
        mismatched: keys.filter((key) => key.typed !== key.meant).length,
        maxGap: Math.max(...keys.slice(1).map((key) => key.gap), 0) };
    }
  }

  // --- The scan itself: post through the dialog form so htmx handles redirect or fragment. ---
  function submitScan(text, source) {
    const form = settings().dialog?.querySelector("[data-scan-form]");
    if (!form) return;
    form.querySelector("[data-scan-input]").value = text;
    form.querySelector("[data-scan-source]").value = source;
    form.requestSubmit();
  }

  function rememberMode(mode) {
    try { localStorage.setItem(MODE, mode); } catch { /* private mode */ }
  }

  function remember(report) {
    try { sessionStorage.setItem("shelfscan.lastScan", JSON.stringify(report)); } catch { /* private mode */ }
    document.dispatchEvent(new CustomEvent("shelfscan:scanned", { detail: report }));
  }

  // --- Global wedge: keys typed while no text field has focus. ---
  let wedge = new Burst();
  let pauseTimer = null;

  function finishWedge(suffix) {
    const conf = settings();
    clearTimeout(pauseTimer);
    const burst = wedge;
    wedge = new Burst();
    const report = burst.report(suffix, conf.layout);
    remember(report);
    if (!document.querySelector("[data-scan-check]")) submitScan(report.text, "wedge");
  }

  function onGlobalKey(event) {
    if (event.defaultPrevented || event.isComposing || isTextField(event.target)) return;
    const conf = settings();
    if (!conf.dialog) return;
    const open = document.querySelector("dialog[open]");
    if (open && open !== conf.dialog) return; // another dialog's keys; the scan dialog's field has its own
    const now = event.timeStamp || performance.now();
    if (event.key === "Enter" || event.key === "Tab") {
      if (wedge.keys.length && wedge.isScan(now, conf.delay)) {
        event.preventDefault();
        finishWedge(event.key);
      } else {
        wedge = new Burst();
      }
      return;
    }
    const control = controlChar(event);
    const last = wedge.last;
    const inBurst = last && now - last.at <= breakGap(conf.delay);
    if (control && inBurst) event.preventDefault(); // mid-scan; Ctrl+D would bookmark the page
    else if (control || event.ctrlKey || event.altKey || event.metaKey) return; // a person's shortcut
    else if (!(usChar(event) || event.key?.length === 1)) return;
    if (!inBurst) wedge = new Burst(); // a pause ended whatever came before
    wedge.add(event, control);
    if (control === CTRL.EOT && wedge.isScan(null, conf.delay)) {
      finishWedge("EOT");
      return;
    }
    clearTimeout(pauseTimer);
    // A scanner with no suffix just stops: a pause after a fast burst ends the scan.
    pauseTimer = setTimeout(() => {
      if (wedge.isScan(null, conf.delay)) finishWedge("pause");
      else wedge = new Burst();
    }, breakGap(conf.delay));
  }

  // --- The dialog's own input: rebuild a scanned burst from the physical keys on submit. ---
  function initInput(input) {
    let burst = new Burst();
    const form = input.form;
    const reset = () => { burst = new Burst(); };
    input.addEventListener("keydown", (event) => {
      const conf = settings();
      const control = controlChar(event);
      form.querySelector("[data-scan-source]").value = "dialog"; // not the camera's any more
      if (event.key === "Tab" && !input.value) return; // an empty field never traps the focus
      if (!input.value) reset(); // a cleared field starts afresh, whatever was typed before
      if (event.key === "Enter" || event.key === "Tab" || control === CTRL.EOT) {
        event.preventDefault();
        if (control) burst.add(event, control);
        if (burst.isScan(null, conf.delay) && burst.text("host") === input.value + (control || "")) {
          input.value = burst.text(conf.layout);
          remember(burst.report(control ? "EOT" : event.key, conf.layout));
        } else if (control) {
          input.value += control;
        }
        reset();
        if (input.value) {
          rememberMode("type");
          form.requestSubmit();
        }
        return;
      }
      if (control) {
        event.preventDefault();
        burst.add(event, control);
        input.setRangeText(control, input.selectionStart, input.selectionEnd, "end");
      } else if (event.key?.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        burst.add(event, "");
      } else if (event.key !== "Shift") {
        burst.human = true; // editing keys: a person is at work
      }
    });
    input.addEventListener("paste", () => { burst.human = true; });
    input.addEventListener("focus", reset);
  }

  const onPhone = () => matchMedia("(pointer: coarse)").matches;

  function lastMode() {
    try { return localStorage.getItem(MODE) || "camera"; } catch { return "camera"; }
  }

  // Shows the dialog, if it is not open yet, with its input empty; focused unless a phone's keyboard
  // would cover the dialog for someone who does not type.
  function showDialog(dialog) {
    if (!dialog.open) dialog.showModal();
    const input = dialog.querySelector("[data-scan-input]");
    input.value = "";
    if (!onPhone() || lastMode() === "type") input.focus();
    else if (document.activeElement === input) input.blur();
  }

  function openDialog(dialog) {
    dialog.querySelector("[data-scan-source]").value = "dialog";
    showDialog(dialog);
    const camera = dialog.querySelector("[data-scan-camera]");
    if (!camera || camera.querySelector("[data-camera-toggle]").hidden) return;
    const phoneCamera = onPhone() && lastMode() === "camera";
    camera.dispatchEvent(new CustomEvent(phoneCamera ? "shelfscan:camera-start" : "shelfscan:camera-warm"));
  }

  function initDialog(dialog) {
    // A wedge scan that did not redirect (no match, a choice, an error) shows its answer in the dialog.
    dialog.addEventListener("htmx:afterSwap", () => showDialog(dialog));
    dialog.addEventListener("close", () => {
      const slot = dialog.querySelector(".scan-result-slot");
      if (slot) slot.textContent = "";
    });
  }

  function initOpener(button) {
    button.addEventListener("click", (event) => {
      const dialog = settings().dialog;
      if (!dialog) return; // no dialog: the button's form opens the scan page
      event.preventDefault();
      openDialog(dialog);
    });
  }

  const WIRING = [["[data-scan-input]", initInput], ["[data-scan-dialog]", initDialog],
    ["[data-scan-open]", initOpener]];

  document.addEventListener("keydown", onGlobalKey);
  document.addEventListener("keydown", (event) => {
    // Alt+S opens the dialog from anywhere (by physical key, so any layout).
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyS" && settings().dialog) {
      event.preventDefault();
      openDialog(settings().dialog);
    }
  });
  document.addEventListener("htmx:load", (event) => {
    const root = event.detail.elt;
    for (const [selector, init] of WIRING) {
      if (root.matches(selector)) init(root);
      for (const node of root.querySelectorAll(selector)) init(node);
    }
  });
})();
