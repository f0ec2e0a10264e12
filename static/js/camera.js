// The live camera: in the scan dialog, on the scan page and in scan sessions. Where the browser can run
// the decoder (decode-worker.js: zxing-cpp as WebAssembly, in a worker), every frame is decoded on the
// device and only the text goes to the server, through the form data-form names, as a scanner would
// type it (AIM identifier first, GS/RS kept; source "camera"). Elsewhere a few frames a second go as
// JPEG to data-image-url: an HX-Redirect opens the object, 204 or X-Scan-Result "nothing" means keep
// looking, anything else is swapped into data-target (data-swap, default innerHTML). The camera stops
// after a code unless data-continuous (sessions), where a label still in view counts once.
// Needs a secure context (https or localhost); otherwise it says so. Attributes: [data-scan-camera]
// (data-form, data-image-url, data-decoder-url, data-target, data-swap, data-continuous) holding
// [data-camera-toggle], [data-camera-device], [data-camera-torch], [data-camera-status], [data-camera-video].
// A "shelfscan:camera-start" event on [data-scan-camera] starts it (a phone opening the dialog), and
// "shelfscan:camera-warm" loads the decoder ahead of a press of Camera (any device opening the dialog;
// outside a dialog it loads once the page is idle). While the camera runs, data-decoding says where
// frames are decoded ("device" or "server").
(() => {
  "use strict";
  // A session page loads this file itself and again with the scan dialog: the first copy does the work.
  if (document.documentElement.hasAttribute("data-camera-js")) return;
  document.documentElement.setAttribute("data-camera-js", "");
  const FRAME_INTERVAL_MS = 250; // frames to the server: at most four a second
  const DEVICE_INTERVAL_MS = 100; // frames decoded here: at most ten a second, to spare the battery
  const MAX_SIDE = 1280;
  const SKIP_FRAMES = 3; // the first frames of a camera are often black
  const GONE_MS = 1000; // a code unseen this long has left the picture; back in view, it counts again
  const DECODER_TIMEOUT_MS = 10000; // a decoder that takes longer to load: frames go to the server
  const STORE = "shelfscan.cameraId";
  const MODE = "shelfscan.scanMode"; // "camera" or "type": how a phone opens the scan dialog (scanner.js)
  let decoder = null; // a promise of the page's one decoding worker, or of null where none can run
  const pending = new Map(); // frame id -> resolve, for answers from the worker
  let frameId = 0;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch { return ""; }
  }

  const feedback = (level) => document.dispatchEvent(new CustomEvent("shelfscan:feedback", { detail: { level } }));

  // The on-device decoder, started once a page; resolves to null where it cannot run or load.
  function deviceDecoder(url) {
    if (decoder) return decoder;
    decoder = new Promise((resolve) => {
      if (!url || !window.Worker || typeof WebAssembly !== "object") {
        resolve(null);
        return;
      }
      const worker = new Worker(url);
      const fail = () => {
        worker.terminate();
        for (const answer of pending.values()) answer({ error: "decoder stopped" });
        pending.clear();
        decoder = Promise.resolve(null);
        resolve(null);
      };
      const timer = setTimeout(fail, DECODER_TIMEOUT_MS);
      worker.addEventListener("error", fail);
      worker.addEventListener("message", (event) => {
        const { id, ready, failed } = event.data;
        if (ready || failed) {
          clearTimeout(timer);
          if (failed) fail();
          else resolve(worker);
          return;
        }
        pending.get(id)?.(event.data);
        pending.delete(id);
      });
    });
    return decoder;
  }

  function decodeOnDevice(worker, image) {
    frameId += 1;
    const id = frameId;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ id, width: image.width, height: image.height, pixels: image.data.buffer },
        [image.data.buffer]);
    });
  }

  function init(root) {
    const ui = {
      toggle: root.querySelector("[data-camera-toggle]"), status: root.querySelector("[data-camera-status]"),
      video: root.querySelector("[data-camera-video]"), device: root.querySelector("[data-camera-device]"),
      torch: root.querySelector("[data-camera-torch]"), form: document.getElementById(root.dataset.form),
    };
    const continuous = root.hasAttribute("data-continuous");
    const state = { stream: null, worker: null, frames: 0, lastSent: 0, busy: false, torch: false,
      seen: new Map(), recent: "" };
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });

    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      ui.toggle.hidden = true;
      ui.status.textContent = "The live camera needs a secure connection (https, or localhost on this computer), " +
        "and this page came over plain http. Use \u201cTake or upload a photo\u201d instead.";
      return;
    }

    const say = (text) => { ui.status.textContent = text; };

    function stop() {
      for (const track of state.stream?.getTracks() ?? []) track.stop();
      state.stream = null;
      state.busy = false;
      delete root.dataset.decoding;
      ui.video.srcObject = null;
      ui.video.hidden = true;
      ui.torch.hidden = true;
      ui.toggle.setAttribute("aria-pressed", "false");
    }

    function open(deviceId) {
      const video = { width: { ideal: 1280 }, height: { ideal: 720 } };
      if (deviceId) video.deviceId = { exact: deviceId };
      else video.facingMode = { ideal: "environment" }; // the rear camera on phones
      return navigator.mediaDevices.getUserMedia({ video, audio: false });
    }

    function listDevices(track) {
      navigator.mediaDevices.enumerateDevices().then((devices) => {
        const cameras = devices.filter((device) => device.kind === "videoinput");
        ui.device.textContent = "";
        for (const [i, cam] of cameras.entries()) {
          const option = new Option(cam.label || `Camera ${i + 1}`, cam.deviceId);
          option.selected = cam.deviceId === track.getSettings().deviceId;
          ui.device.add(option);
        }
        ui.device.hidden = cameras.length < 2;
      });
      const caps = track.getCapabilities?.() ?? {};
      ui.torch.hidden = !caps.torch;
    }

    function start() {
      const saved = localStorage.getItem(STORE);
      const decoding = deviceDecoder(root.dataset.decoderUrl); // loads while the camera starts
      say("Starting the camera\u2026");
      open(saved).catch((err) => {
        if (!saved) throw err;
        localStorage.removeItem(STORE); // the remembered camera is gone: take the default
        return open(null);
      }).then((stream) => {
        state.stream = stream;
        state.frames = 0;
        state.seen.clear();
        ui.video.srcObject = stream;
        ui.video.hidden = false;
        ui.toggle.setAttribute("aria-pressed", "true");
        listDevices(stream.getVideoTracks()[0]);
        say("Hold a barcode in front of the camera.");
        return Promise.all([decoding, ui.video.play()]);
      }).then(([worker]) => {
        if (!state.stream) return;
        state.worker = worker;
        root.dataset.decoding = worker ? "device" : "server";
        nextFrame();
      }).catch((err) => {
        stop();
        say(`The camera could not start (${err?.name || "error"}). Use \u201cTake or upload a photo\u201d instead.`);
      });
    }

    function nextFrame() {
      if (!state.stream) return;
      if (ui.video.requestVideoFrameCallback) ui.video.requestVideoFrameCallback(onFrame);
      else setTimeout(() => onFrame(performance.now()), 100);
    }

    function onFrame(now) {
      if (!state.stream) return;
      state.frames += 1;
      const interval = state.worker ? DEVICE_INTERVAL_MS : FRAME_INTERVAL_MS;
      if (state.frames > SKIP_FRAMES && !state.busy && now - state.lastSent >= interval) {
        state.lastSent = now;
        if (state.worker) decodeFrame();
        else sendFrame();
      }
      nextFrame();
    }

    // Draws the current frame, at most MAX_SIDE wide, into the canvas; false before the video has a size.
    function draw() {
      const { videoWidth: width, videoHeight: height } = ui.video;
      if (!width || !height) return false;
      const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(ui.video, 0, 0, canvas.width, canvas.height);
      return true;
    }

    function decodeFrame() {
      if (!draw()) return;
      state.busy = true;
      decodeOnDevice(state.worker, context.getImageData(0, 0, canvas.width, canvas.height)).then((answer) => {
        if (!state.stream) return;
        state.busy = false;
        if (answer.error) { // the decoder broke: the server takes over
          state.worker = null;
          root.dataset.decoding = "server";
          return;
        }
        const now = performance.now();
        const fresh = answer.codes.map((found) => found.aim + found.text).filter((text) => isNew(text, now));
        for (const text of continuous ? fresh : fresh.slice(0, 1)) submitText(text);
      });
    }

    // Whether a decoded code just came into view (a label held still is read on every frame).
    function isNew(text, now) {
      const last = state.seen.get(text);
      state.seen.set(text, now);
      return last === undefined || now - last > GONE_MS;
    }

    // The decoded text goes through the page's form, as if typed: htmx (or the session) does the rest.
    function submitText(text) {
      if (!continuous) {
        feedback("accepted");
        stop();
        say("Looking it up\u2026");
      }
      ui.form.elements.barcode.value = text;
      if (ui.form.elements.source) ui.form.elements.source.value = "camera";
      ui.form.requestSubmit();
      if (!continuous) ui.form.addEventListener("htmx:afterRequest", () => say(""), { once: true });
    }

    function sendFrame() {
      if (!draw()) return;
      state.busy = true;
      canvas.toBlob((blob) => {
        if (!blob || !state.stream) {
          state.busy = false;
          return;
        }
        post(blob).finally(() => { state.busy = false; });
      }, "image/jpeg", 0.85);
    }

    function post(blob) {
      const body = ui.form ? new FormData(ui.form) : new FormData();
      body.delete("barcode");
      body.set("image", blob, "frame.jpg");
      body.set("source", "camera");
      body.set("recent", state.recent);
      const request = { method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" } };
      return fetch(root.dataset.imageUrl, request).then((response) => {
        const target = response.headers.get("HX-Redirect");
        if (target) {
          feedback("accepted");
          stop();
          window.location.assign(target);
          return null;
        }
        state.recent = decodeURIComponent(response.headers.get("X-Scan-Text") || "");
        const nothing = response.status === 204 || response.headers.get("X-Scan-Result") === "nothing";
        if (nothing || !state.stream) return null; // keep looking
        if (!continuous) {
          stop();
          say("");
        }
        return response.text().then((html) => htmx.swap(document.querySelector(root.dataset.target), html,
          { swapStyle: root.dataset.swap || "innerHTML" }));
      }).catch(() => say("The server did not answer; still trying\u2026"));
    }

    ui.toggle.addEventListener("click", () => {
      if (state.stream) {
        stop();
        return;
      }
      try { localStorage.setItem(MODE, "camera"); } catch { /* private mode */ }
      start();
    });
    root.addEventListener("shelfscan:camera-start", () => { if (!state.stream) start(); });
    ui.device.addEventListener("change", () => {
      localStorage.setItem(STORE, ui.device.value); // remembered for next time
      stop();
      start();
    });
    ui.torch.addEventListener("click", () => {
      const track = state.stream?.getVideoTracks()[0];
      if (!track) return;
      state.torch = !state.torch;
      track.applyConstraints({ advanced: [{ torch: state.torch }] });
      ui.torch.setAttribute("aria-pressed", String(state.torch));
    });
    root.closest("dialog")?.addEventListener("close", stop);
    document.addEventListener("visibilitychange", () => { if (document.hidden) stop(); });
    window.addEventListener("pagehide", stop);
    const warm = () => deviceDecoder(root.dataset.decoderUrl);
    root.addEventListener("shelfscan:camera-warm", warm);
    if (root.closest("dialog")) return; // the dialog warms it when it opens (scanner.js)
    if (window.requestIdleCallback) requestIdleCallback(warm);
    else setTimeout(warm, 500);
  }

  document.addEventListener("htmx:load", (event) => {
    const root = event.detail.elt;
    for (const camera of root.querySelectorAll("[data-scan-camera]")) init(camera);
  });
})();
