// Desktop view: create a session, show its QR code, wait for the photo over the WebSocket, and
// fall back to polling GET /sessions/{id} whenever the socket is down.
(function () {
  "use strict";

  const { api, show, wsUrl, report } = window.QrApp;
  const statusBox = document.getElementById("status");
  const qrBox = document.getElementById("qr");
  const photo = document.getElementById("photo");
  const restart = document.getElementById("restart");
  const phoneLink = document.getElementById("phone-link");
  const phoneLinkHint = document.getElementById("phone-link-hint");

  const POLL_MS = 2000;
  // Visible to tests and to anyone debugging in the console.
  const state = (window.desktopState = { sessionId: null, mode: "starting", messages: [], done: false });
  let socket = null;
  let pollTimer = null;
  let reconnectTimer = null;
  let reconnectDelay = 1000;
  let expiryTimer = null;

  function explain(err) {
    if (err.status === 0) return "We can't reach the server. Check your internet connection, then try again.";
    if (err.status === 429) return "Too many sessions were started from here. Please wait a little and reload the page.";
    if (err.status >= 500) return "Something went wrong on our side. Please reload the page to try again.";
    return `Something went wrong: ${err.message}`;
  }

  function waiting(text) {
    if (!state.done) show(statusBox, text, "waiting");
  }

  async function start() {
    stopEverything();
    Object.assign(state, { sessionId: null, mode: "starting", messages: [], done: false });
    photo.hidden = true;
    restart.hidden = true;
    show(statusBox, "Creating a session…", "waiting");
    let session;
    try {
      session = await api("POST", "/sessions");
    } catch (err) {
      show(statusBox, explain(err), "error");
      restart.textContent = "Try again";
      restart.hidden = false;
      return;
    }
    state.sessionId = session.sessionId;
    state.expiresAt = session.expiresAt;
    const phoneUrl = new URL("phone.html", location.href);
    phoneUrl.search = `?sessionId=${encodeURIComponent(session.sessionId)}`;
    drawQr(phoneUrl.href);
    phoneLink.href = phoneUrl.href;
    phoneLinkHint.hidden = false;
    scheduleExpiry(session.expiresAt);
    connect();
  }

  function drawQr(text) {
    const code = window.qrcode(0, "M");
    code.addData(text);
    code.make();
    // SVG, not the library's GIF: encoding the GIF blocked the main thread for hundreds of ms.
    const img = new Image();
    img.alt = "QR code to open on your phone";
    img.src = `data:image/svg+xml,${encodeURIComponent(code.createSvgTag({ cellSize: 6, margin: 8 }))}`;
    qrBox.replaceChildren(img);
    qrBox.hidden = false;
  }

  function connect() {
    if (!wsUrl) {
      startPolling();
      return;
    }
    const sessionId = state.sessionId;
    let opened = false;
    socket = new WebSocket(`${wsUrl}?sessionId=${encodeURIComponent(sessionId)}`);
    socket.onopen = () => {
      opened = true;
      reconnectDelay = 1000;
      state.mode = "websocket";
      stopPolling();
      waiting("Waiting for the photo from your phone…");
      // Anything that completed while we were reconnecting would otherwise go unnoticed.
      checkSession();
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (err) {
        return;
      }
      state.messages.push(message);
      if (message.sessionId !== state.sessionId) return;
      if (message.action === "UPLOAD_COMPLETED") checkSession();
      if (message.action === "ERROR") {
        show(statusBox, `The upload could not be completed: ${message.message}`, "error");
      }
    };
    socket.onclose = () => {
      socket = null;
      if (state.done || sessionId !== state.sessionId) return;
      if (!opened) {
        // The server refused the connection: find out why (expired, unknown) from the API.
        checkSession().then(() => fallBack());
        return;
      }
      fallBack();
    };
  }

  function fallBack() {
    if (state.done) return;
    state.mode = "polling";
    waiting("Live updates were interrupted. Still waiting for the photo (checking every few seconds)…");
    startPolling();
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 30000);
  }

  function startPolling() {
    if (pollTimer || state.done) return;
    pollTimer = setInterval(checkSession, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  async function checkSession() {
    const sessionId = state.sessionId;
    if (!sessionId || state.done) return;
    let session;
    try {
      session = await api("GET", `/sessions/${encodeURIComponent(sessionId)}`);
    } catch (err) {
      if (err.status === 0) waiting("We can't reach the server right now; we'll keep trying…");
      else if (err.status === 404) expired("This session no longer exists.");
      return;
    }
    if (sessionId !== state.sessionId || state.done) return;
    if (session.status === "COMPLETED" && session.downloadUrl) {
      showPhoto(session.downloadUrl);
    } else if (session.status === "EXPIRED") {
      expired("This session has expired.");
    }
  }

  function showPhoto(url) {
    state.done = true;
    stopEverything();
    photo.onload = () => show(statusBox, "Photo received.", "ok");
    photo.onerror = () => {
      show(statusBox, "The photo arrived but could not be displayed. Please try again.", "error");
      report("warn", "uploaded photo could not be displayed");
    };
    photo.src = url;
    photo.hidden = false;
    qrBox.hidden = true;
    phoneLinkHint.hidden = true;
    restart.hidden = false;
  }

  function expired(reason) {
    state.done = true;
    state.mode = "expired";
    stopEverything();
    qrBox.hidden = true;
    phoneLinkHint.hidden = true;
    show(statusBox, `${reason} Press “Start again” for a new QR code.`, "error");
    restart.textContent = "Start again";
    restart.hidden = false;
  }

  function scheduleExpiry(expiresAt) {
    const ms = expiresAt * 1000 - Date.now();
    expiryTimer = setTimeout(checkSession, Math.max(ms, 0) + 1000);
  }

  function stopEverything() {
    stopPolling();
    clearTimeout(reconnectTimer);
    clearTimeout(expiryTimer);
    if (socket) {
      socket.onclose = null;
      socket.close();
      socket = null;
    }
  }

  restart.addEventListener("click", () => {
    restart.textContent = "Send another photo";
    start();
  });
  start();
})();
