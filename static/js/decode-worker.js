// Decodes camera frames on the device, in a worker so a frame never blocks the page: zxing-cpp compiled to
// WebAssembly (static/vendor/zxing-wasm-3.1.8, the same decoder the server runs). camera.js starts it.
// Messages in: {id, width, height, pixels} (RGBA bytes, transferred). Out: {ready: true} once the decoder
// is compiled, or {failed: reason}; then {id, codes: [{text, aim, format}]} per frame, or {id, error}.
// `text` is zxing's Plain text mode: the content as encoded, GS/RS/EOT bytes kept; `aim` is the AIM
// symbology identifier (]d2 marks GS1 DataMatrix) that a scanner would put in front. Only this script's
// answer carries CSP 'wasm-unsafe-eval' (blueprints/shared/security.py); pages cannot compile WebAssembly.
"use strict";
const VENDOR = "../vendor/zxing-wasm-3.1.8/";
// What labels carry; PDF417, Aztec and the rest cost time on every frame and are left to photos.
const OPTIONS = {
  formats: ["QRCode", "MicroQRCode", "DataMatrix", "Code128", "Code39", "EAN13", "EAN8", "UPCA", "UPCE"],
  textMode: "Plain", tryHarder: true, tryRotate: true, tryInvert: false, tryDownscale: true, maxNumberOfSymbols: 4,
};

function start() {
  importScripts(new URL(`${VENDOR}zxing-reader.iife.js`, self.location).href);
  const overrides = { locateFile: (path) => new URL(VENDOR + path, self.location).href };
  return Promise.resolve(self.ZXingWASM.prepareZXingModule({ overrides, fireImmediately: true }));
}

const ready = new Promise((resolve) => { resolve(start()); });
ready.then(() => self.postMessage({ ready: true }), (error) => self.postMessage({ failed: String(error) }));

self.addEventListener("message", (event) => {
  const { id, width, height, pixels } = event.data;
  const image = { width, height, data: new Uint8ClampedArray(pixels) };
  ready.then(() => self.ZXingWASM.readBarcodes(image, OPTIONS)).then((results) => {
    const codes = results.filter((result) => result.isValid)
      .map((result) => ({ text: result.text, aim: result.symbologyIdentifier || "", format: result.format }));
    self.postMessage({ id, codes });
  }).catch((error) => self.postMessage({ id, error: String(error) }));
});
