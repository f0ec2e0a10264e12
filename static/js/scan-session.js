// Scan sessions, moves and receiving: a wedge scanner types into a focused input; Enter or Tab sends the
// scan through htmx one request at a time, in order, so fast scanning loses nothing; the input empties and
// keeps focus; each new [data-outcome] row beeps (high: accepted, two: warning, low: error). Attributes:
// form[data-session-scan] (data-target, data-swap), input[data-session-input], input[data-control-keys]
// (Ctrl+] Ctrl+^ Ctrl+D type GS RS EOT); camera: [data-session-camera-box] (data-image-url, data-target);
// button[data-feed-toggle] (the feed's selector) shows or folds the scans beyond the newest FEED_SHOWN.
(() => {
  "use strict";
  const CONTROL_KEYS = { BracketRight: "\x1d", Digit6: "\x1e", KeyD: "\x04" };
  const TONES = { accepted: [[880, 0.08]], warning: [[660, 0.07], [660, 0.07]], error: [[180, 0.3]] };
  const FEED_SHOWN = 5; // as many rows as app.css shows before the rest fold away
  let audio = null;

  function beep(level) {
    document.body.dataset.lastBeep = level;
    const tones = TONES[level];
    if (!tones || !window.AudioContext) return;
    try {
      audio = audio || new AudioContext();
      let at = audio.currentTime;
      for (const [frequency, seconds] of tones) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = level === "error" ? "square" : "sine";
        osc.frequency.value = frequency;
        gain.gain.value = 0.08;
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(at + seconds);
        at += seconds + 0.05;
      }
    } catch { /* no sound is no reason to stop scanning */ }
  }

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
  }

  function focusInput() {
    const input = document.querySelector("[data-session-input]");
    const active = document.activeElement;
    const busy = active && active !== input && active.matches("input, select, textarea");
    if (input && !busy) input.focus();
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
    }).catch(() => beep("error"));
    focusInput();
  }

  // The fold button says how many older scans it hides, and only appears when it hides some.
  function updateFeedToggle(button) {
    const feed = document.querySelector(button.dataset.feedToggle);
    if (!feed) return;
    const older = feed.querySelectorAll(":scope > li").length - FEED_SHOWN;
    const open = feed.classList.contains("show-all");
    button.hidden = older <= 0;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Show only the latest scans" : `Show ${older} earlier scan${older === 1 ? "" : "s"}`;
  }

  function onFeedToggle(event) {
    const button = event.target.closest("[data-feed-toggle]");
    if (!button) return;
    document.querySelector(button.dataset.feedToggle)?.classList.toggle("show-all");
    updateFeedToggle(button);
  }

  function onLoad(event) {
    const root = event.detail.elt;
    for (const button of document.querySelectorAll("[data-feed-toggle]")) updateFeedToggle(button);
    const rows = root.matches("[data-outcome]") ? [root] : [...root.querySelectorAll("[data-outcome]")];
    const fresh = rows.filter((row) => !row.dataset.beeped);
    for (const row of fresh) row.dataset.beeped = "1";
    if (fresh.length) beep(fresh[0].dataset.outcome);
    for (const box of root.querySelectorAll("[data-session-camera-box]")) initCamera(box);
    focusInput();
  }

  // The camera in a session: a few frames a second go to data-image-url; what decodes is staged like a
  // scan. The label still in view is sent as `recent` so it is staged once, until it leaves the picture.
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch { return ""; }
  }

  function initCamera(box) {
    const button = box.querySelector("[data-session-camera]");
    const video = box.querySelector("[data-session-video]");
    const note = box.querySelector("[data-camera-note]");
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      button.hidden = true;
      note.textContent = "The camera needs https (or localhost); the scanner and typing still work.";
      return;
    }
    const canvas = document.createElement("canvas");
    let stream = null;
    let recent = "";

    function stop() {
      for (const track of stream?.getTracks() ?? []) track.stop();
      stream = null;
      video.hidden = true;
      button.setAttribute("aria-pressed", "false");
    }

    function later() { if (stream) setTimeout(sendFrame, 250); }

    function sendFrame() {
      if (!stream || document.hidden) return stop();
      if (!video.videoWidth) return later();
      const scale = Math.min(1, 1280 / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => {
        const body = new FormData();
        body.append("image", blob, "frame.jpg");
        body.append("recent", recent);
        const last = document.querySelector('input[name="last_line"]');
        if (last) body.append("last_line", last.value);
        const request = { method: "POST", body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" } };
        fetch(box.dataset.imageUrl, request).then((response) => {
          recent = decodeURIComponent(response.headers.get("X-Scan-Text") || "");
          if (response.status === 204) return null;
          return response.text().then((html) => htmx.swap(box.dataset.target, html, { swapStyle: "afterbegin" }));
        }).catch(() => { note.textContent = "The server did not answer; still trying\u2026"; }).finally(later);
      }, "image/jpeg", 0.85);
    }

    button.addEventListener("click", () => {
      if (stream) return stop();
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then((media) => {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        button.setAttribute("aria-pressed", "true");
        note.textContent = "";
        return video.play();
      }).then(later).catch((err) => {
        stop();
        note.textContent = `No camera: ${err.message}`;
      });
    });
  }

  document.addEventListener("keydown", onKey, true);
  document.addEventListener("submit", onSubmit);
  document.addEventListener("htmx:load", onLoad);
  document.addEventListener("click", onFeedToggle);
})();
