// Tiếp dân, front desk: check a citizen in by scanning the QR code on their
// ticket with the device camera, where the browser can read QR codes
// (BarcodeDetector). Typing the code always works; without this script, or
// without a camera, nothing changes.
(() => {
  "use strict";
  const form = document.querySelector("form.check-in-form");
  const start = document.getElementById("scan-start");
  const panel = document.getElementById("scan-panel");
  if (!form || !start || !panel) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  const input = form.querySelector('input[name="code"]');
  const video = panel.querySelector("video");
  const stopButton = document.getElementById("scan-stop");
  const status = document.getElementById("scan-status");
  // A booking code: 10 symbols without 0/O/1/I, maybe grouped with dashes.
  const looksLikeCode = (text) => /^[2-9A-HJ-NP-Z]{10}$/.test(text.replace(/[\s-]/g, "").toUpperCase());
  let stream = null;
  let timer = null;

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    panel.hidden = true;
    start.hidden = false;
  };

  start.hidden = false;
  start.addEventListener("click", async () => {
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      status.textContent = start.dataset.denied || "";
      return;
    }
    video.srcObject = stream;
    panel.hidden = false;
    start.hidden = true;
    status.textContent = start.dataset.looking || "";
    try {
      await video.play();
    } catch (e) {
      // Autoplay refused: the frames still arrive for the detector.
    }
    timer = setInterval(async () => {
      let found = [];
      try {
        found = await detector.detect(video);
      } catch (e) {
        return;
      }
      const code = found.map((f) => String(f.rawValue || "").trim()).find(looksLikeCode);
      if (!code) return;
      stop();
      input.value = code;
      status.textContent = "";
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }, 250);
  });
  stopButton.addEventListener("click", () => {
    stop();
    input.focus();
  });
})();
