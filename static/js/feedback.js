// Feedback a hand can feel: a "shelfscan:feedback" event ({level: accepted | warning | error}) plays the
// scan tone and, where the device allows, vibrates. Sessions send one per staged or refused scan, the
// camera one per code it reads. Browsers allow both only after the person touched or typed on the page:
// the first touch or key unlocks the sound (a camera started by a tap has it). The level is left in
// body[data-last-beep] and, when the phone vibrated, body[data-last-vibrate] (for tests: a selector).
(() => {
  "use strict";
  const TONES = { accepted: [[880, 0.08]], warning: [[660, 0.07], [660, 0.07]], error: [[180, 0.3]] };
  const VIBRATION = { accepted: [40], warning: [40, 60, 40], error: [200] };
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

  // Sound starts suspended until a gesture; the first one on the page resumes it for every later scan.
  function unlock() {
    try {
      audio = audio || new AudioContext();
      audio.resume();
    } catch { /* no sound */ }
  }

  function vibrate(level) {
    const pattern = VIBRATION[level];
    // Browsers refuse (return false) before the first touch on the page, and desktops have no motor.
    if (pattern && navigator.vibrate?.(pattern)) document.body.dataset.lastVibrate = level;
  }

  for (const name of ["pointerdown", "keydown"]) {
    document.addEventListener(name, unlock, { once: true, capture: true, passive: true });
  }
  document.addEventListener("shelfscan:feedback", (event) => {
    const level = event.detail?.level;
    beep(level);
    vibrate(level);
  });
})();
