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
})();"""

GTAG = r"""(function(){
  var dl = window.dataLayer = window.dataLayer || [], ga4 = [];
  function ga4send(id, lines){
    var url = 'https://region1.google-analytics.com/g/collect?v=2&tid=' + id + '&dl=' +
      encodeURIComponent(location.href);
    if (lines.length === 1) navigator.sendBeacon(url + '&' + lines[0]);
    else navigator.sendBeacon(url, lines.join('\n'));
  }
  function handle(a){
    if (!a || typeof a.length !== 'number' || typeof a[0] !== 'string') return;
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
        new Image().src = 'https://www.googleadservices.com/pagead/conversion/' + parts[0] +
          '/?label=' + parts[1] + '&en=' + name; }
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
)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "content-type",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
}


def is_vendor(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in VENDOR_DOMAINS)


def answer_vendors(served: list[str]) -> Callable[[Any], None]:
    """A context_setup that answers every vendor host locally and records what it answered."""

    def route(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not is_vendor(host):
            route.fallback()
            return
        served.append(url)
        for (script_host, prefix), body in SCRIPTS.items():
            if host == script_host and parts.path.startswith(prefix):
                route.fulfill(
                    status=200, body=body, headers={**CORS, "Content-Type": "text/javascript"}
                )
                return
        # Beacons set the vendor's own cookie, as the real endpoints do: a third-party cookie.
        cookie = f"vendor_uid=1; Domain={host}; Path=/; SameSite=None; Secure"
        route.fulfill(
            status=200,
            body="",
            headers={**CORS, "Content-Type": "image/gif", "Set-Cookie": cookie},
        )

    def setup(context: Any) -> None:
        context.route("**/*", route)

    return setup
