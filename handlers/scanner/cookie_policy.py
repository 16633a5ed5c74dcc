"""Third-party cookies as a normal Chrome window has them: allowed.

Each scan runs in a fresh incognito-like browser context, and Chromium blocks third-party cookies
there by default (the "Block third-party cookies in Incognito" setting). Trackers then behave
unlike they do for patients, and no third-party cookie could be reported. The setting belongs to
the browser's regular profile, so after each launch the scanner sets it, once, the way the
settings page does (`profile.cookie_controls_mode` = 0, "allow third-party cookies"); every
context created afterwards inherits it. Best effort: a Chromium without the settings page (the
headless shell) keeps its default, and the scan goes on.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from handlers.core.log import logger
from handlers.scanner.browser_errors import BrowserError

ALLOW_ALL = 0
TIMEOUT_SECONDS = 3.0
_SET_PREF = """new Promise((done) => {
  const attempt = (left) => {
    if (!window.chrome || !chrome.settingsPrivate) {
      return left > 0 ? setTimeout(() => attempt(left - 1), 20) : done('unavailable');
    }
    chrome.settingsPrivate.setPref('net.network_prediction_options', 2, '', () =>
      chrome.settingsPrivate.setPref('profile.cookie_controls_mode', MODE, '', (ok) => done(ok)));
  };
  attempt(100);
})""".replace("MODE", str(ALLOW_ALL))


def allow_third_party_cookies(browser: Any) -> bool:
    """Set the regular profile to allow third-party cookies; True when Chromium confirmed it."""
    session = None
    target = None
    try:
        session = browser.new_browser_cdp_session()
        replies: list[dict] = []
        session.on(
            "Target.receivedMessageFromTarget", lambda e: replies.append(json.loads(e["message"]))
        )
        target = session.send("Target.createTarget", {"url": "chrome://settings/cookies"})[
            "targetId"
        ]
        attached = session.send("Target.attachToTarget", {"targetId": target, "flatten": False})
        message = {
            "id": 1,
            "method": "Runtime.evaluate",
            "params": {"expression": _SET_PREF, "awaitPromise": True, "returnByValue": True},
        }
        session.send(
            "Target.sendMessageToTarget",
            {"sessionId": attached["sessionId"], "message": json.dumps(message)},
        )
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            reply = next((r for r in replies if r.get("id") == 1), None)
            if reply is not None:
                value = ((reply.get("result") or {}).get("result") or {}).get("value")
                if value is True:
                    return True
                break
            # Events reach Python only while it talks to the browser: a cheap call to wait on.
            session.send("Browser.getVersion")
            time.sleep(0.01)
    except (BrowserError, ValueError, KeyError) as exc:  # ValueError, KeyError: odd replies
        logger.warning("third-party cookies stay blocked", errorType=type(exc).__name__)
        return False
    finally:
        if session is not None:
            with contextlib.suppress(BrowserError):
                if target is not None:
                    session.send("Target.closeTarget", {"targetId": target})
                session.detach()
    logger.warning("third-party cookies stay blocked", errorType="SettingNotConfirmed")
    return False
