// The live camera in the scan dialog: a few frames a second posted as JPEG to /scan/image until
// one decodes. Needs a secure context (https or localhost); otherwise it says so and the photo
// input takes over. Attribute-driven: [data-scan-camera] and its [data-camera-*] children.
(function () {
  "use strict";
  var FRAME_INTERVAL_MS = 250; // at most four frames a second
  var MAX_SIDE = 1280;
  var SKIP_FRAMES = 3; // the first frames of a camera are often black
  var STORE = "shelfscan.cameraId";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function init(root) {
    var ui = {
      toggle: root.querySelector("[data-camera-toggle]"), status: root.querySelector("[data-camera-status]"),
      video: root.querySelector("[data-camera-video]"), device: root.querySelector("[data-camera-device]"),
      torch: root.querySelector("[data-camera-torch]"),
      slot: root.closest("[data-scan-panel]").querySelector(".scan-result-slot"),
    };
    var state = { stream: null, frames: 0, lastSent: 0, busy: false, torch: false };
    var canvas = document.createElement("canvas");

    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      ui.toggle.hidden = true;
      ui.status.textContent = "The live camera needs a secure connection (https, or localhost on this computer), " +
        "and this page came over plain http. Use \u201cTake or upload a photo\u201d below instead.";
      return;
    }

    function say(text) { ui.status.textContent = text; }

    function stop() {
      if (state.stream) state.stream.getTracks().forEach(function (track) { track.stop(); });
      state.stream = null;
      ui.video.srcObject = null;
      ui.video.hidden = true;
      ui.torch.hidden = true;
      ui.toggle.setAttribute("aria-pressed", "false");
    }

    function open(deviceId) {
      var video = { width: { ideal: 1280 }, height: { ideal: 720 } };
      if (deviceId) video.deviceId = { exact: deviceId };
      else video.facingMode = { ideal: "environment" }; // the rear camera on phones
      return navigator.mediaDevices.getUserMedia({ video: video, audio: false });
    }

    function listDevices(track) {
      navigator.mediaDevices.enumerateDevices().then(function (devices) {
        var cameras = devices.filter(function (d) { return d.kind === "videoinput"; });
        ui.device.textContent = "";
        cameras.forEach(function (cam, i) {
          var option = new Option(cam.label || "Camera " + (i + 1), cam.deviceId);
          option.selected = cam.deviceId === track.getSettings().deviceId;
          ui.device.add(option);
        });
        ui.device.hidden = cameras.length < 2;
      });
      var caps = track.getCapabilities ? track.getCapabilities() : {};
      ui.torch.hidden = !caps.torch;
    }

    function start() {
      var saved = localStorage.getItem(STORE);
      say("Starting the camera\u2026");
      open(saved).catch(function (err) {
        if (!saved) throw err;
        localStorage.removeItem(STORE); // the remembered camera is gone: take the default
        return open(null);
      }).then(function (stream) {
        state.stream = stream;
        state.frames = 0;
        ui.video.srcObject = stream;
        ui.video.hidden = false;
        ui.toggle.setAttribute("aria-pressed", "true");
        listDevices(stream.getVideoTracks()[0]);
        say("Hold a barcode in front of the camera.");
        return ui.video.play();
      }).then(nextFrame).catch(function (err) {
        stop();
        say("The camera could not start (" + (err && err.name || "error") + "). Use \u201cTake or upload a photo\u201d instead.");
      });
    }

    function nextFrame() {
      if (!state.stream) return;
      if (ui.video.requestVideoFrameCallback) ui.video.requestVideoFrameCallback(onFrame);
      else setTimeout(function () { onFrame(performance.now()); }, 100);
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
      var w = ui.video.videoWidth, h = ui.video.videoHeight;
      if (!w || !h) return;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      canvas.getContext("2d").drawImage(ui.video, 0, 0, canvas.width, canvas.height);
      state.busy = true;
      canvas.toBlob(function (blob) {
        if (!blob || !state.stream) { state.busy = false; return; }
        post(blob).finally(function () { state.busy = false; });
      }, "image/jpeg", 0.85);
    }

    function post(blob) {
      var body = new FormData();
      body.append("image", blob, "frame.jpg");
      body.append("source", "camera");
      return fetch(root.dataset.imageUrl, { method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" } }).then(function (response) {
        var target = response.headers.get("HX-Redirect");
        var answer = response.headers.get("X-Scan-Result");
        if (target) { stop(); window.location.assign(target); return null; }
        if (!answer || answer === "nothing" || !state.stream) return null; // keep looking
        stop();
        say("");
        return response.text().then(function (html) {
          if (window.htmx) window.htmx.swap(ui.slot, html, { swapStyle: "innerHTML" });
          else ui.slot.textContent = "Scanned; reload the page to see the result.";
        });
      }).catch(function () { say("The server did not answer; still trying\u2026"); });
    }

    ui.toggle.addEventListener("click", function () { if (state.stream) stop(); else start(); });
    ui.device.addEventListener("change", function () {
      localStorage.setItem(STORE, ui.device.value); // remembered for next time
      stop();
      start();
    });
    ui.torch.addEventListener("click", function () {
      var track = state.stream && state.stream.getVideoTracks()[0];
      if (!track) return;
      state.torch = !state.torch;
      track.applyConstraints({ advanced: [{ torch: state.torch }] });
      ui.torch.setAttribute("aria-pressed", String(state.torch));
    });
    var dialog = root.closest("dialog");
    if (dialog) dialog.addEventListener("close", stop);
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
    window.addEventListener("pagehide", stop);
  }

  function initAll(root) {
    var nodes = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-scan-camera]") : []);
    nodes.forEach(function (node) {
      if (node.dataset.cameraReady) return;
      node.dataset.cameraReady = "1";
      init(node);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document.body);
    if (window.htmx) window.htmx.onLoad(initAll);
  });
})();
