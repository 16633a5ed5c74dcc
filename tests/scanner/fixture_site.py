"""A clinic site on 127.0.0.1 whose pages embed each vendor's snippet as the vendor publishes it."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


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


SNIPPETS = {
    "meta": _meta_snippet("'123456789012345'"),
    "meta_pii": _meta_snippet(
        "'555555555555555', {em: 'jane.doe@example.com', ph: '+1 555 010 9999', fn: 'jane'}"
    ),
    "gtag": """<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST1234"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-TEST1234');
  gtag('config', 'AW-987654321');
</script>""",
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
snaptr('init', 'aaaa-1111-bbbb', {});
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
    "reddit": """<script>
!function(w,d){if(!w.rdt){var p=w.rdt=function(){p.sendEvent?p.sendEvent.apply(p,arguments):p.callQueue.push(arguments)};p.callQueue=[];var t=d.createElement("script");t.src="https://www.redditstatic.com/ads/pixel.js",t.async=!0;var s=d.getElementsByTagName("script")[0];s.parentNode.insertBefore(t,s)}}(window,document);rdt('init','a2_testpixel1');rdt('track', 'PageVisit');
</script>""",  # noqa: E501
}

BOOK_BUTTON = """<button id="book" onclick="
  fbq('track', 'Schedule', {content_name: 'Book an appointment'});
  gtag('event', 'generate_lead', {event_label: 'cardiology', send_to: 'AW-987654321/BoOk1'});
  ttq.track('Contact'); window.uetq.push('event', 'book_appointment', {});
  rdt('track', 'Lead');">Book an appointment</button>"""

SCROLL_HOOK = """<script>window.addEventListener('scroll', function once() {
  window.removeEventListener('scroll', once); gtag('event', 'scroll_depth');
});</script>"""


def page(*vendors: str, body: str = "") -> str:
    head = "\n".join(SNIPPETS[v] for v in vendors)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Riverside Clinic</title>"
        f"{head}</head><body style='min-height:4000px'><h1>Riverside Clinic</h1>"
        f"<img src='/logo.png' alt=''>{body}</body></html>"
    )


ALL_VENDORS = tuple(SNIPPETS.keys() - {"meta_pii"})
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

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.served.append(path)  # type: ignore[attr-defined]
        if path in PAGES:
            self._send(200, PAGES[path].encode())
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


class FixtureSite:
    """The site, served on 127.0.0.1 on a free port."""

    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
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
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FixtureSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.stopping = True  # type: ignore[attr-defined]
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_site() -> Iterator[FixtureSite]:
    site = FixtureSite().start()
    try:
        yield site
    finally:
        site.stop()
