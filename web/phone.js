// Phone view: opened from the QR code. Asks for a presigned POST, then sends the photo straight to
// S3 with a progress bar, and explains every refusal in plain words.
(function () {
  "use strict";

  const { api, show, report } = window.QrApp;
  const input = document.getElementById("file");
  const pick = document.getElementById("pick");
  const progress = document.getElementById("progress");
  const statusBox = document.getElementById("status");
  const sessionId = new URLSearchParams(location.search).get("sessionId");
  const state = (window.phoneState = { phase: "ready", error: null });

  function fail(text, detail) {
    state.phase = "failed";
    state.error = text;
    show(statusBox, text, "error");
    progress.hidden = true;
    input.disabled = false;
    pick.hidden = false;
    if (detail) report("warn", detail);
  }

  if (!sessionId) {
    fail("This page only works from the QR code. Scan the code on the other screen again.");
    input.disabled = true;
    pick.hidden = true;
    return;
  }

  function explainUrlError(err) {
    const message = String(err.message || "");
    if (err.status === 0) return "We can't reach the server. Check your internet connection and try again.";
    if (/expired/i.test(message)) {
      return "This QR code has expired. Reload the page on the other screen for a new code, then scan it again.";
    }
    if (/completed|no longer/i.test(message)) {
      return "A photo was already sent with this QR code. Reload the page on the other screen to send another.";
    }
    if (err.status === 404 || /sessionId/i.test(message)) {
      return "This QR code isn't valid. Reload the page on the other screen and scan the new code.";
    }
    if (/contentType/i.test(message)) {
      return "That file isn't a photo we can take. Please choose a JPEG, PNG, WebP, HEIC or GIF image.";
    }
    if (err.status === 429) return "Too many attempts. Please wait a minute and try again.";
    if (err.status >= 500) return "Something went wrong on our side. Please try again in a moment.";
    return `The upload could not start: ${message}`;
  }

  function s3Code(xml) {
    const match = /<Code>([^<]+)<\/Code>/.exec(xml || "");
    return match ? match[1] : "";
  }

  function size(bytes) {
    if (bytes >= 1048576) return `${Math.floor(bytes / 1048576)} MB`;
    return `${Math.floor(bytes / 1024)} KB`;
  }

  function explainS3Refusal(status, code, maxBytes) {
    const limit = maxBytes ? ` (the limit is ${size(maxBytes)})` : "";
    if (code === "EntityTooLarge") return `That photo is too large${limit}. Please choose a smaller one.`;
    if (code === "EntityTooSmall") return "That file is empty. Please choose a photo.";
    if (code === "AccessDenied" || status === 403) {
      return "The upload was refused: the link has expired or the file doesn't match what was expected. Please try again.";
    }
    return "The upload was refused. Please try again with another photo.";
  }

  function upload(target, file) {
    return new Promise((resolve) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
      form.append("file", file); // S3 ignores every field after the file, so it goes last
      const xhr = new XMLHttpRequest();
      xhr.open(target.method || "POST", target.uploadUrl);
      xhr.timeout = 120000;
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
      };
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
      xhr.onerror = () => resolve({ status: 0, body: "" });
      xhr.ontimeout = () => resolve({ status: -1, body: "" });
      xhr.send(form);
    });
  }

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    input.disabled = true;
    state.phase = "requesting";
    show(statusBox, "Getting ready…", "waiting");
    const contentType = file.type || "application/octet-stream";
    let target;
    try {
      target = await api(
        "GET",
        `/upload-url?sessionId=${encodeURIComponent(sessionId)}&contentType=${encodeURIComponent(contentType)}`
      );
    } catch (err) {
      fail(explainUrlError(err));
      return;
    }
    state.phase = "uploading";
    progress.value = 0;
    progress.hidden = false;
    pick.hidden = true;
    show(statusBox, "Sending your photo…", "waiting");
    const result = await upload(target, file);
    if (result.status >= 200 && result.status < 300) {
      progress.value = 100;
      state.phase = "sent";
      show(statusBox, "Sent! Your photo is on its way to the other screen.", "ok");
      return;
    }
    if (result.status === 0) {
      fail("The upload failed because of a network problem. Check your connection and try again.", "upload network error");
    } else if (result.status === -1) {
      fail("The upload took too long. Check your connection and try again.", "upload timed out");
    } else {
      const code = s3Code(result.body);
      fail(explainS3Refusal(result.status, code, target.maxBytes), `upload refused: ${result.status} ${code}`);
    }
    input.value = "";
  });
})();
