"""A clinic site on 127.0.0.1 whose pages embed each vendor's snippet as the vendor publishes it."""

from __future__ import annotations

import http.server
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl


def _meta_snippet(init_arguments: str) -> str:
    """Meta's published base code, with `fbq('init', ...)` given these arguments."""
    return f"""<script>
!function(f,b,e,v,n,t,s)
{{if(f.fbq)return;n=f.fbq=function(){{n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)}};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', {init_arguments});
fbq('track', 'PageView');
</script>"""


def _gtag_snippet(extra: str = "") -> str:
    """Google's published gtag.js snippet for a GA4 and an Ads ID, with `extra` calls after."""
    return f"""<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST1234"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', 'G-TEST1234');
  gtag('config', 'AW-987654321');
  {extra}
</script>"""


# Reddit's published base code, kept apart so a page can also run it late (a delayed tag).
REDDIT_BASE = """!function(w,d){if(!w.rdt){var p=w.rdt=function(){p.sendEvent?p.sendEvent.apply(p,arguments):p.callQueue.push(arguments)};p.callQueue=[];var t=d.createElement("script");t.src="https://www.redditstatic.com/ads/pixel.js",t.async=!0;var s=d.getElementsByTagName("script")[0];s.parentNode.insertBefore(t,s)}}(window,document);rdt('init','a2_testpixel1');rdt('track', 'PageVisit');"""  # noqa: E501
# Hashes the leaks page hands to Meta's advanced matching and Google's enhanced conversions.
HASHED_EMAIL = "5d41402abc4b2a76b9719d911017c592ae4e3f3c1d4b4e5b1f2f3f4f5f6f7f8f"

SNIPPETS = {
    "meta": _meta_snippet("'123456789012345'"),
    "meta_pii": _meta_snippet(
        "'555555555555555', {em: 'jane.doe@example.com', ph: '+1 555 010 9999', fn: 'jane'}"
    ),
    "gtag": _gtag_snippet(),
    "gtm": """<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-ABC1234');</script>""",
    "universal": """<script>
(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){
(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),
m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');
ga('create', 'UA-12345-1', 'auto');
ga('send', 'pageview');
</script>""",
    "tiktok": """<script>
!function (w, d, t) {
  w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];ttq.methods=["page","track","identify","instances","debug","on","off","once","ready","alias","group","enableCookie","disableCookie"],ttq.setAndDefer=function(t,e){t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}};for(var i=0;i<ttq.methods.length;i++)ttq.setAndDefer(ttq,ttq.methods[i]);ttq.instance=function(t){for(var e=ttq._i[t]||[],n=0;n<ttq.methods.length;n++)ttq.setAndDefer(e,ttq.methods[n]);return e},ttq.load=function(e,n){var i="https://analytics.tiktok.com/i18n/pixel/events.js";ttq._i=ttq._i||{},ttq._i[e]=[],ttq._i[e]._u=i,ttq._t=ttq._t||{},ttq._t[e]=+new Date,ttq._o=ttq._o||{},ttq._o[e]=n||{};var o=document.createElement("script");o.type="text/javascript",o.async=!0,o.src=i+"?sdkid="+e+"&lib="+t;var a=document.getElementsByTagName("script")[0];a.parentNode.insertBefore(o,a)};
  ttq.load('CTEST12345ABCDEFGHIJ');
  ttq.page();
}(window, document, 'ttq');
</script>""",  # noqa: E501 - TikTok publishes it on one line
    "linkedin": """<script type="text/javascript">
_linkedin_partner_id = "1234567";
window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || [];
window._linkedin_data_partner_ids.push(_linkedin_partner_id);
</script><script type="text/javascript">
(function(l) {
if (!l){window.lintrk = function(a,b){window.lintrk.q.push([a,b])};
window.lintrk.q=[]}
var s = document.getElementsByTagName("script")[0];
var b = document.createElement("script");
b.type = "text/javascript";b.async = true;
b.src = "https://snap.licdn.com/li.lms-analytics/insight.min.js";
s.parentNode.insertBefore(b, s);})(window.lintrk);
</script>""",
    "x": """<script>
!function(e,t,n,s,u,a){e.twq||(s=e.twq=function(){s.exe?s.exe.apply(s,arguments):s.queue.push(arguments);
},s.version='1.1',s.queue=[],u=t.createElement(n),u.async=!0,u.src='https://static.ads-twitter.com/uwt.js',
a=t.getElementsByTagName(n)[0],a.parentNode.insertBefore(u,a))}(window,document,'script');
twq('config','o1x2y');
</script>""",
    "pinterest": """<script>
!function(e){if(!window.pintrk){window.pintrk = function () {
window.pintrk.queue.push(Array.prototype.slice.call(arguments))};var
  n=window.pintrk;n.queue=[],n.version="3.0";var
  t=document.createElement("script");t.async=!0,t.src=e;var
  r=document.getElementsByTagName("script")[0];
  r.parentNode.insertBefore(t,r)}}("https://s.pinimg.com/ct/core.js");
pintrk('load', '2612345678901', {em: 'patient@example.com'});
pintrk('page');
</script>""",
    "snap": """<script type='text/javascript'>
(function(e,t,n){if(e.snaptr)return;var a=e.snaptr=function()
{a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};
a.queue=[];var s='script';r=t.createElement(s);r.async=!0;
r.src=n;var u=t.getElementsByTagName(s)[0];
u.parentNode.insertBefore(r,u);})(window,document,
'https://sc-static.net/scevent.min.js');
snaptr('init', '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', {});
snaptr('track', 'PAGE_VIEW');
</script>""",
    "bing": """<script>(function(w,d,t,r,u){var f,n,i;w[u]=w[u]||[],f=function(){var o={ti:"5123456", enableAutoSpaTracking: true};o.q=w[u],w[u]=new UET(o),w[u].push("pageLoad")},n=d.createElement(t),n.src=r,n.async=1,n.onload=n.onreadystatechange=function(){var s=this.readyState;s&&s!=="loaded"&&s!=="complete"||(f(),n.onload=n.onreadystatechange=null)},i=d.getElementsByTagName(t)[0],i.parentNode.insertBefore(n,i)})(window,document,"script","//bat.bing.com/bat.js","uetq");</script>""",  # noqa: E501
    "hotjar": """<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:3456789,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>""",
    "clarity": """<script type="text/javascript">
    (function(c,l,a,r,i,t,y){
        c[a]=c[a]||function(){(c[a].q=c[a].q||[]).push(arguments)};
        t=l.createElement(r);t.async=1;t.src="https://www.clarity.ms/tag/"+i;
        y=l.getElementsByTagName(r)[0];y.parentNode.insertBefore(t,y);
    })(window, document, "clarity", "script", "abcd1234ef");
</script>""",
    "reddit": f"<script>\n{REDDIT_BASE}\n</script>",
    "meta_hashed": _meta_snippet(f"'123456789012345', {{em: '{HASHED_EMAIL}'}}"),
    # Google's enhanced conversions: the hashed email goes with every Ads conversion.
    "gtag_enhanced": _gtag_snippet(
        f"gtag('set', 'user_data', {{sha256_email_address: '{HASHED_EMAIL}'}});"
    ),
    # Session recorders, by the script their published snippets load (the URL is what counts).
    "fullstory": '<script async src="https://edge.fullstory.com/s/fs.js"></script>',
    "logrocket": '<script async src="https://cdn.logrocket.io/LogRocket.min.js"></script>',
    "mouseflow": '<script async src="https://cdn.mouseflow.com/projects/'
    '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0.js"></script>',
    "smartlook": '<script async src="https://web-sdk.smartlook.com/recorder.js"></script>',
    "luckyorange": '<script async defer src="https://tools.luckyorange.com/core/lo.js'
    '?site-id=1a2b3c4d"></script>',
    "inspectlet": '<script async src="https://cdn.inspectlet.com/inspectlet.js?wid=1234567890'
    '&r=472222"></script>',
    "yandex": '<script async src="https://mc.yandex.ru/metrika/tag.js"></script>',
    "quantummetric": '<script async src="https://cdn.quantummetric.com/qscripts/'
    'quantum-clinic.js"></script>',
    "contentsquare": '<script async src="https://t.contentsquare.net/uxa/0a1b2c3d4e5f6.js">'
    "</script>",
    "heap": '<script async src="https://cdn.heapanalytics.com/js/heap-123456789.js"></script>',
    # Fingerprinters and a form key logger, each a third-party script.
    "canvas_fp": '<script src="https://fpcollect.example/canvas.js"></script>',
    "font_fp": '<script src="https://fpcollect.example/fonts.js"></script>',
    "webgl_fp": '<script src="https://fpcollect.example/webgl.js"></script>',
    "audio_fp": '<script src="https://fpcollect.example/audio.js"></script>',
    "keylogger": '<script src="https://formspy.example/keys.js"></script>',
}
RECORDER_SNIPPETS = ("hotjar", "clarity", "fullstory", "logrocket", "mouseflow", "smartlook",
    "luckyorange", "inspectlet", "yandex", "quantummetric", "contentsquare", "heap")  # fmt: skip
DELAYED_TAG_MS = 3000
TRACKER_COOKIE = "tracker_id=a1b2c3"


def delayed(milliseconds: int) -> str:
    """A tag injected by a timer after load, as sites do to keep page-speed scores up."""
    return (
        "<script>window.addEventListener('load', function(){ setTimeout(function(){ "
        f"{REDDIT_BASE} }}, {milliseconds}); }});</script>"
    )


# A delay loader as WordPress speed plugins write it (Flying Scripts: the first interaction, or a
# 5 s timeout, whichever comes first).
INTERACTION_LOADER = (
    "<script>(function(){ var done = false, events = ['click', 'mousemove', 'keydown',"
    " 'touchstart', 'touchmove', 'wheel'];"
    " function load(){ if (done) return; done = true; clearTimeout(timer);"
    " events.forEach(function(e){ window.removeEventListener(e, load); });"
    f" {REDDIT_BASE} }}"
    " var timer = setTimeout(load, 5000);"
    " events.forEach(function(e){ window.addEventListener(e, load, {passive: true}); });"
    " })();</script>"
)


BOOK_BUTTON = """<button id="book" onclick="
  fbq('track', 'Schedule', {content_name: 'Book an appointment'});
  gtag('event', 'generate_lead', {event_label: 'cardiology', send_to: 'AW-987654321/BoOk1'});
  ttq.track('Contact'); window.uetq.push('event', 'book_appointment', {});
  rdt('track', 'Lead');">Book an appointment</button>"""

SCROLL_HOOK = """<script>window.addEventListener('scroll', function once() {
  window.removeEventListener('scroll', once); gtag('event', 'scroll_depth');
});</script>"""


def page(*vendors: str, body: str = "", title: str = "Riverside Clinic") -> str:
    head = "\n".join(SNIPPETS[v] for v in vendors)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"{head}</head><body style='min-height:4000px'><h1>Riverside Clinic</h1>"
        f"<img src='/logo.png' alt=''>{body}</body></html>"
    )


APPOINTMENT_FORM = """<form action="/submitted" method="post">
  <label>First name <input name="first_name" autocomplete="given-name"></label>
  <label>Last name <input name="last_name" autocomplete="family-name"></label>
  <label>Email <input type="email" name="email"></label>
  <label>Phone <input type="tel" name="phone"></label>
  <label>Reason for visit <textarea name="reason"></textarea></label>
  <input type="password" name="portal_password">
  <button type="submit">Request an appointment</button>
</form>"""
SEARCH_FORM = """<form action="/search" method="get" role="search">
  <input type="search" name="q" placeholder="Search the site"><button>Search</button>
</form>"""
NEWSLETTER_FORM = """<form action="/newsletter" method="post">
  <input type="email" name="newsletter_email" placeholder="Your email"><button>Subscribe</button>
</form>"""
# Drawing code (a chart), not a fingerprinter: short labels, save/restore, a small export.
BENIGN_CANVAS = """<canvas id="chart" width="300" height="150"></canvas><script>
  var x = document.getElementById('chart').getContext('2d');
  x.save(); x.fillStyle = '#4a90d9'; x.fillRect(10, 40, 40, 100); x.restore();
  x.fillStyle = '#333'; x.font = '12px sans-serif'; x.fillText('Mon', 15, 148);
  document.getElementById('chart').toDataURL();
</script>"""
LEAKS_BUTTON = """<button onclick="
  fbq('track', 'Schedule', {content_name: 'Book an appointment'});
  gtag('event', 'conversion', {send_to: 'AW-987654321/BoOk1'});">Book an appointment</button>"""
SEARCH_EVENT = "<script>fbq('track', 'Search', {search_string: 'cardiology'});</script>"
CLINIC_NAV = """<nav>
  <a href="/clinic/about.html">About us</a> <a href="/clinic/news.html">News</a>
  <a href="/clinic/careers.html">Careers</a> <a href="/clinic/visiting.html">Visiting hours</a>
  <a href="/clinic/brochure.pdf">Brochure</a> <a href="https://www.facebook.com/riverside">Facebook</a>
  <a href="/clinic/contact.html">Contact us</a> <a href="/clinic/doctors.html">Find a Doctor</a>
  <a href="/clinic/appointments.html">Book an appointment</a>
</nav>"""


def clinic_page(title: str, *vendors: str, body: str = "") -> str:
    return page(*vendors, body=CLINIC_NAV + body, title=f"{title} | Riverside Clinic")


CLINIC = {
    "/clinic/": clinic_page(
        "Home",
        "meta",
        "gtag",
        "tiktok",
        "linkedin",
        "hotjar",
        "clarity",
        "canvas_fp",
        body=SEARCH_FORM + NEWSLETTER_FORM + delayed(DELAYED_TAG_MS),
    ),
    "/clinic/appointments.html": clinic_page(
        "Book an appointment", "meta", "gtag", "keylogger", body=APPOINTMENT_FORM
    ),
    "/clinic/doctors.html": clinic_page(
        "Find a Doctor", "meta", "gtag", body=SEARCH_FORM + SEARCH_EVENT
    ),
    "/clinic/contact.html": clinic_page("Contact us", "meta", "gtag", body=NEWSLETTER_FORM),
    **{
        f"/clinic/{name}.html": clinic_page(name.title(), "meta", "gtag")
        for name in ("about", "news", "careers", "visiting")
    },
}

ALL_VENDORS = ("meta", "gtag", "gtm", "universal", "tiktok", "linkedin", "x", "pinterest", "snap",
    "bing", "hotjar", "clarity", "reddit")  # fmt: skip
PAGES = {
    "/all.html": page(*ALL_VENDORS, body=BOOK_BUTTON + SCROLL_HOOK),
    "/five.html": page("meta", "gtag", "tiktok", "linkedin", "pinterest"),
    "/plain.html": page(),
    "/pii.html": page("meta_pii", "pinterest"),
    "/click.html": page(
        "meta", body="<p>Welcome.</p><a href='/doctors.html?q=cardiology'>Find a Doctor</a>"
    ),
    "/doctors.html": page(
        "meta",
        body="<script>fbq('track', 'Search', {search_string: 'cardiology'});</script>",
    ),
    "/beacons.html": page("snap", "tiktok", "clarity", "gtag", body=SCROLL_HOOK),
    "/websocket.html": page(
        body="<script>try { new WebSocket('ws://10.1.2.3:8080/socket'); } catch (e) {}</script>"
    ),
    "/subresource-redirect.html": page(body="<img src='/redirect-metadata'>"),
    "/private-link.html": page(body="<img src='http://internal.test/secret.png'>"),
    "/recorders.html": page(*RECORDER_SNIPPETS),
    "/canvas-fingerprint.html": page("canvas_fp"),
    "/font-probe.html": page("font_fp"),
    "/webgl-fingerprint.html": page("webgl_fp"),
    "/audio-fingerprint.html": page("audio_fp"),
    "/keylogger.html": page("keylogger", "meta", body=APPOINTMENT_FORM),
    "/leaks.html": page("meta_hashed", "gtag_enhanced", body=LEAKS_BUTTON + SEARCH_EVENT),
    "/clean.html": page(body=APPOINTMENT_FORM + BENIGN_CANVAS),
    "/delayed.html": page(body=delayed(DELAYED_TAG_MS)),
    "/interaction-loader.html": page(body=INTERACTION_LOADER),
    # What a fingerprinter checking for tampering would see of the scanner's instrumentation.
    "/native-check.html": page(
        body="<script>console.log('native:' + /\\[native code\\]/.test("
        "HTMLCanvasElement.prototype.toDataURL.toString()) + ' binding:' + "
        "typeof window.__PIXEL_SCAN_BINDING__);</script>"
    ),
    **CLINIC,
    "/service-worker.html": page(
        body="<script>(navigator.serviceWorker ? navigator.serviceWorker.register('/sw.js')"
        " : Promise.reject(new Error('absent')))"
        ".then(function(){ console.log('sw:registered'); },"
        " function(e){ console.log('sw:refused'); });</script>"
    ),
}
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "da63f8cfc0f01f0005000201a5f0f1d90000000049454e44ae426082"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "Fixture/1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        """A form submission: recorded, so a test can prove the scanner never sent one."""
        self.server.served.append(self.path.split("?", 1)[0])  # type: ignore[attr-defined]
        self._send(200, b"<p>Thank you</p>")

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        self.server.served.append(path)  # type: ignore[attr-defined]
        arguments = dict(parse_qsl(query))
        if path in PAGES:
            self._send(200, PAGES[path].encode())
        elif path == "/delayed-tag.html":
            self._send(200, page(body=delayed(int(arguments.get("ms", "0")))).encode())
        elif path == "/third-party-cookie.html":
            pixel = f"http://{arguments.get('host', '127.0.0.2')}:{arguments.get('port')}/px.gif"
            self._send(200, page(body=f"<img src='{pixel}' alt=''>").encode())
        elif path == "/px.gif":
            # A real response (not a Playwright stub) whose Set-Cookie Chromium reports.
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Set-Cookie", f"{TRACKER_COOKIE}; Max-Age=86400; Path=/; "
                             "SameSite=None; Secure")  # fmt: skip
            self.send_header("Content-Length", str(len(LOGO)))
            self.end_headers()
            self.wfile.write(LOGO)
        elif path == "/sw.js":
            self._send(200, b"self.addEventListener('fetch', function(){});", "text/javascript")
        elif path == "/logo.png":
            self._send(200, LOGO, "image/png")
        elif path == "/redirect-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/redirect-home":
            self.send_response(302)
            self.send_header("Location", "/click.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/status/500":
            self._send(500, b"<h1>Internal Server Error</h1>")
        elif path == "/hang.html":
            self._hang()
        else:
            self._send(404, b"not found")

    def _hang(self) -> None:
        """Send the head (with a pixel) and then never finish the page."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(f"<!doctype html><html><head>{SNIPPETS['meta']}</head><body>".encode())
        self.wfile.flush()
        deadline = time.monotonic() + 30
        try:
            while time.monotonic() < deadline and not self.server.stopping:  # type: ignore[attr-defined]
                self.wfile.write(b"<!-- still loading -->\n")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            return


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # a browser closing early is no news


class FixtureSite:
    """The site, served on 127.0.0.1 (or another loopback address) on a free port."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.server = _Server((host, 0), _Handler)
        self.server.daemon_threads = True
        self.server.stopping = False  # type: ignore[attr-defined]
        self.server.served = []  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def served(self) -> list[str]:
        """Every path the site was asked for, in order."""
        return self.server.served  # type: ignore[attr-defined]

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def start(self) -> FixtureSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.stopping = True  # type: ignore[attr-defined]
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_site(host: str = "127.0.0.1") -> Iterator[FixtureSite]:
    site = FixtureSite(host).start()
    try:
        yield site
    finally:
        site.stop()
