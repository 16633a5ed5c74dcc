"""The QR hand-off in a real browser: a desktop page and a phone page against the local stack."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.e2e.helpers import call, noise, png, post_form

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WAIT_MS = 15_000


def open_desktop(page, stack) -> str:
    """Load the desktop view and wait until it listens on the WebSocket; returns its session id."""
    page.goto(stack.web + "/")
    page.wait_for_function("window.desktopState && window.desktopState.mode === 'websocket'")
    page.locator("#qr img").wait_for(state="visible")
    return page.evaluate("window.desktopState.sessionId")


def phone_url(page) -> str:
    return page.locator("#phone-link").get_attribute("href")


def choose_file(page, name: str, mime: str, content: bytes) -> None:
    page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": content}])


def wait_for_photo(page) -> None:
    page.wait_for_function(
        "() => { const img = document.getElementById('photo');"
        " return !img.hidden && img.complete && img.naturalWidth > 0; }",
        timeout=WAIT_MS,
    )


def connection_of(stack, session_id: str) -> str | None:
    table = stack.client("dynamodb")
    item = table.get_item(
        TableName=stack.table_keyed("sessionId"), Key={"sessionId": {"S": session_id}}
    )["Item"]
    return item.get("wsConnectionId", {}).get("S")


def drop_connection(stack, session_id: str) -> None:
    """Close the desktop's socket from the server side, through the management API."""
    management = stack.client(
        "apigatewaymanagementapi", endpoint_url=stack.urls["websocket_management"]
    )
    management.delete_connection(ConnectionId=connection_of(stack, session_id))


def upload_for(stack, session_id: str) -> str:
    """What the phone does, without a phone: presigned POST of a PNG; returns the key."""
    status, target = call(
        stack.api, "GET", f"/upload-url?sessionId={session_id}&contentType=image/png"
    )
    assert status == 200, target
    status, body = post_form(target["uploadUrl"], target["fields"], png(), "image/png")
    assert status == 204, body
    return target["uploadKey"]


def test_photo_taken_on_the_phone_appears_on_the_desktop(desktop, phone, stack, artifacts):
    session_id = open_desktop(desktop, stack)
    assert "waiting for the photo" in desktop.locator("#status").inner_text().lower()
    desktop.screenshot(path=artifacts / "desktop-waiting.png")
    link = phone_url(desktop)
    assert link == f"{stack.web}/phone.html?sessionId={session_id}"

    phone.goto(link)
    phone.screenshot(path=artifacts / "phone-ready.png")
    choose_file(phone, "photo.png", "image/png", png())
    phone.wait_for_function("window.phoneState.phase === 'sent'", timeout=WAIT_MS)
    assert phone.locator("progress").evaluate("p => p.value") == 100
    phone.screenshot(path=artifacts / "phone-sent.png")

    wait_for_photo(desktop)
    assert desktop.locator("#status").inner_text() == "Photo received."
    messages = desktop.evaluate("window.desktopState.messages")
    assert [m["action"] for m in messages] == ["UPLOAD_COMPLETED"]
    assert desktop.locator("#qr").is_hidden()
    desktop.screenshot(path=artifacts / "desktop-photo.png")


def test_phone_explains_an_expired_session(phone, stack, artifacts):
    # Test-only: the session is written straight into the stack's DynamoDB, already expired.
    session_id = str(uuid.uuid4())
    now = int(time.time())
    stack.client("dynamodb").put_item(
        TableName=stack.table_keyed("sessionId"),
        Item={
            "sessionId": {"S": session_id},
            "status": {"S": "AWAITING_SCAN"},
            "createdAt": {"N": str(now - 1900)},
            "expiresAt": {"N": str(now - 100)},
        },
    )
    phone.goto(f"{stack.web}/phone.html?sessionId={session_id}")
    choose_file(phone, "photo.png", "image/png", png())
    phone.wait_for_function("window.phoneState.phase === 'failed'", timeout=WAIT_MS)
    text = phone.locator("#status").inner_text()
    assert "expired" in text
    assert "scan it again" in text
    phone.screenshot(path=artifacts / "phone-expired.png")


def test_desktop_explains_a_session_that_expired_while_waiting(desktop, stack, artifacts):
    session_id = open_desktop(desktop, stack)
    stack.client("dynamodb").update_item(
        TableName=stack.table_keyed("sessionId"),
        Key={"sessionId": {"S": session_id}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )
    drop_connection(stack, session_id)  # the reconnect is refused: the session has expired
    desktop.wait_for_function("window.desktopState.mode === 'expired'", timeout=WAIT_MS)
    assert "expired" in desktop.locator("#status").inner_text()
    assert desktop.locator("#restart").is_visible()
    desktop.screenshot(path=artifacts / "desktop-expired.png")


def test_oversized_photo_is_refused_by_the_upload_policy(phone, stack, artifacts):
    from tests.e2e.conftest import MAX_UPLOAD_BYTES

    _, session = call(stack.api, "POST", "/sessions", {})
    phone.goto(f"{stack.web}/phone.html?sessionId={session['sessionId']}")
    choose_file(phone, "huge.jpg", "image/jpeg", noise(MAX_UPLOAD_BYTES + 1024))
    phone.wait_for_function("window.phoneState.phase === 'failed'", timeout=WAIT_MS)
    assert "too large" in phone.locator("#status").inner_text()
    listed = stack.client("s3").list_objects_v2(
        Bucket=stack.upload_bucket, Prefix=f"session-uploads/{session['sessionId']}/"
    )
    assert listed["KeyCount"] == 0
    phone.screenshot(path=artifacts / "phone-too-large.png")


def test_file_that_is_not_a_photo_is_refused_in_plain_words(phone, stack, artifacts):
    _, session = call(stack.api, "POST", "/sessions", {})
    phone.goto(f"{stack.web}/phone.html?sessionId={session['sessionId']}")
    choose_file(phone, "notes.txt", "text/plain", b"not a photo")
    phone.wait_for_function("window.phoneState.phase === 'failed'", timeout=WAIT_MS)
    assert "isn't a photo" in phone.locator("#status").inner_text()
    phone.screenshot(path=artifacts / "phone-not-a-photo.png")


def test_desktop_falls_back_to_polling_when_the_socket_drops(desktop, stack, artifacts):
    session_id = open_desktop(desktop, stack)
    # Keep every later socket from reaching the server, so only polling can bring the news.
    desktop.route_web_socket("**/*", lambda socket: socket.close(code=1011))
    drop_connection(stack, session_id)
    desktop.wait_for_function("window.desktopState.mode === 'polling'", timeout=WAIT_MS)
    assert "interrupted" in desktop.locator("#status").inner_text()
    desktop.screenshot(path=artifacts / "desktop-polling.png")

    upload_for(stack, session_id)
    wait_for_photo(desktop)
    assert desktop.evaluate("window.desktopState.messages") == []  # it came by polling


def test_desktop_reconnects_after_the_socket_drops(desktop, stack):
    session_id = open_desktop(desktop, stack)
    first = connection_of(stack, session_id)
    drop_connection(stack, session_id)
    deadline = time.monotonic() + 10
    while connection_of(stack, session_id) in (None, first):
        assert time.monotonic() < deadline, "the page did not reconnect"
        time.sleep(0.1)
    desktop.wait_for_function("window.desktopState.mode === 'websocket'", timeout=WAIT_MS)

    upload_for(stack, session_id)
    wait_for_photo(desktop)
    messages = desktop.evaluate("window.desktopState.messages")
    assert [m["action"] for m in messages] == ["UPLOAD_COMPLETED"]


def test_browser_errors_are_reported_with_the_correlation_id(desktop, stack):
    open_desktop(desktop, stack)
    correlation_id = desktop.evaluate("window.QrApp.correlationId")
    with desktop.expect_response(lambda r: r.url.endswith("/log")) as reported:
        desktop.evaluate("setTimeout(() => { throw new Error('boom from the e2e test'); })")
    response = reported.value
    assert response.status == 202
    assert response.request.headers["x-correlation-id"] == correlation_id
    body = response.request.post_data_json
    assert body["level"] == "error"
    assert "boom from the e2e test" in body["message"]
    assert body["correlationId"] == correlation_id


def test_phone_explains_an_upload_lost_to_the_network(phone, stack, artifacts):
    _, session = call(stack.api, "POST", "/sessions", {})
    aborted = []

    def fail_at_network_level(route):
        aborted.append(route.request.url)
        route.abort("failed")

    # The presigned POST goes straight to S3 (moto here); the phone loses its connection after
    # getting the URL, so its error report to POST /log cannot get through either.
    phone.route(f"{stack.urls['aws']}/**", fail_at_network_level)
    phone.route(f"{stack.api}/log", lambda route: route.abort("failed"))
    phone.goto(f"{stack.web}/phone.html?sessionId={session['sessionId']}")
    choose_file(phone, "photo.png", "image/png", png())
    phone.wait_for_function("window.phoneState.phase === 'failed'", timeout=WAIT_MS)

    assert aborted, "the upload never went to S3"
    assert phone.locator("#status").inner_text() == (
        "The upload failed because of a network problem. Check your connection and try again."
    )
    assert phone.locator("#status").get_attribute("data-kind") == "error"
    assert phone.locator("#file").is_enabled()  # the user can simply try again
    listed = stack.client("s3").list_objects_v2(
        Bucket=stack.upload_bucket, Prefix=f"session-uploads/{session['sessionId']}/"
    )
    assert listed["KeyCount"] == 0
    phone.screenshot(path=artifacts / "phone-network-failure.png")


def test_desktop_explains_an_unreachable_api_and_retries(desktop, stack, artifacts):
    def refuse_session_creation(route):
        if route.request.method == "POST":
            route.abort("failed")
        else:
            route.continue_()

    desktop.route(f"{stack.api}/sessions", refuse_session_creation)
    desktop.goto(stack.web + "/")
    desktop.locator("#restart").wait_for(state="visible", timeout=WAIT_MS)

    assert desktop.locator("#status").inner_text() == (
        "We can't reach the server. Check your internet connection, then try again."
    )
    assert desktop.locator("#status").get_attribute("data-kind") == "error"
    assert desktop.locator("#restart").inner_text() == "Try again"
    assert desktop.locator("#qr").is_hidden()
    assert desktop.evaluate("window.desktopState.sessionId") is None
    desktop.screenshot(path=artifacts / "desktop-api-unreachable.png")

    desktop.unroute(f"{stack.api}/sessions")
    desktop.locator("#restart").click()
    desktop.wait_for_function("window.desktopState.mode === 'websocket'", timeout=WAIT_MS)
    assert desktop.locator("#qr img").is_visible()
