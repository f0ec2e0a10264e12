// The live camera in the scan dialog and on the scan page: a few frames a second posted as JPEG to
// data-image-url until one decodes; a redirect opens the object, any other answer fills the panel's
// .scan-result-slot. Needs a secure context (https or localhost); otherwise it says so and the photo
// input takes over. Attributes: [data-scan-camera] (data-image-url) inside a [data-scan-panel], with
// [data-camera-toggle], [data-camera-device], [data-camera-torch], [data-camera-status], [data-camera-video].
(() => {
  "use strict";
  const FRAME_INTERVAL_MS = 250; // at most four frames a second
  const MAX_SIDE = 1280;
  const SKIP_FRAMES = 3; // the first frames of a camera are often black
  const STORE = "shelfscan.cameraId";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch { return ""; }
  }

  function init(root) {
    const ui = {
      toggle: root.querySelector("[data-camera-toggle]"), status: root.querySelector("[data-camera-status]"),
      video: root.querySelector("[data-camera-video]"), device: root.querySelector("[data-camera-device]"),
      torch: root.querySelector("[data-camera-torch]"),
      slot: root.closest("[data-scan-panel]").querySelector(".scan-result-slot"),
    };
    const state = { stream: null, frames: 0, lastSent: 0, busy: false, torch: false };
    const canvas = document.createElement("canvas");

    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      ui.toggle.hidden = true;
      ui.status.textContent = "The live camera needs a secure connection (https, or localhost on this computer), " +
        "and this page came over plain http. Use \u201cTake or upload a photo\u201d below instead.";
      return;
    }

    const say = (text) => { ui.status.textContent = text; };

    function stop() {
      for (const track of state.stream?.getTracks() ?? []) track.stop();
      state.stream = null;
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
      say("Starting the camera\u2026");
      open(saved).catch((err) => {
        if (!saved) throw err;
        localStorage.removeItem(STORE); // the remembered camera is gone: take the default
        return open(null);
      }).then((stream) => {
        state.stream = stream;
        state.frames = 0;
        ui.video.srcObject = stream;
        ui.video.hidden = false;
        ui.toggle.setAttribute("aria-pressed", "true");
        listDevices(stream.getVideoTracks()[0]);
        say("Hold a barcode in front of the camera.");
        return ui.video.play();
      }).then(nextFrame).catch((err) => {
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
      if (state.frames > SKIP_FRAMES && !state.busy && now - state.lastSent >= FRAME_INTERVAL_MS) {
        state.lastSent = now;
        sendFrame();
      }
      nextFrame();
    }

    function sendFrame() {
      const { videoWidth: width, videoHeight: height } = ui.video;
      if (!width || !height) return;
      const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext("2d").drawImage(ui.video, 0, 0, canvas.width, canvas.height);
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
      const body = new FormData();
      body.append("image", blob, "frame.jpg");
      body.append("source", "camera");
      const request = { method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" } };
      return fetch(root.dataset.imageUrl, request).then((response) => {
        const target = response.headers.get("HX-Redirect");
        const answer = response.headers.get("X-Scan-Result");
        if (target) {
          stop();
          window.location.assign(target);
          return null;
        }
        if (!answer || answer === "nothing" || !state.stream) return null; // keep looking
        stop();
        say("");
        return response.text().then((html) => htmx.swap(ui.slot, html, { swapStyle: "innerHTML" }));
      }).catch(() => say("The server did not answer; still trying\u2026"));
    }

    ui.toggle.addEventListener("click", () => {
      if (state.stream) stop();
      else start();
    });
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
  }

  document.addEventListener("htmx:load", (event) => {
    for (const camera of event.detail.elt.querySelectorAll("[data-scan-camera]")) init(camera);
  });
})();
