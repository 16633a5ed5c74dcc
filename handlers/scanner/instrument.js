// Installed in every frame before any page script runs (Playwright's add_init_script). It reports,
// for each calling script, the browser APIs fingerprinters use, and which script started each
// outgoing request. Rules are applied in Python (fingerprinting.py); this file only records.
//
// Wrappers are Proxies of the original functions, so `toString()` still reads "[native code]"
// and a fingerprinter checking for tampering sees the real thing.
(() => {
  const send = window.__PIXEL_SCAN_BINDING__;
  if (typeof send !== 'function') return;
  try { delete window.__PIXEL_SCAN_BINDING__; } catch (e) { /* not configurable: keep it */ }

  const SELF = 'pixel-scan-instrument.js';
  const URL_IN_FRAME = /((?:https?|file):\/\/[^\s()]+?):\d+:\d+/;
  const MAX_RECORDS = 4000;
  const seen = new Set();

  // The innermost stack frame outside this file is the script that called the API.
  const caller = () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const stack = String(new Error().stack || '');
    Error.stackTraceLimit = limit;
    const lines = stack.split('\n');
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].indexOf(SELF) !== -1) continue;
      const found = URL_IN_FRAME.exec(lines[i]);
      if (found) return found[1];
    }
    return String(location.href);
  };

  const record = (api, detail) => {
    if (seen.size >= MAX_RECORDS) return;
    const script = caller();
    const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
    const key = api + '\u0000' + script + '\u0000' + text;
    if (seen.has(key)) return;
    seen.add(key);
    try { send({api: api, script: script, detail: text.slice(0, 500)}); } catch (e) { /* gone */ }
  };

  // Replaces a method (`slot` 'value') or a setter ('set') with a Proxy calling `before` first.
  const wrapSlot = (proto, name, slot, before) => {
    if (!proto) return;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor || typeof descriptor[slot] !== 'function') return;
    descriptor[slot] = new Proxy(descriptor[slot], {
      apply(target, self, args) {
        try { before(self, args); } catch (e) { /* never break the page */ }
        return Reflect.apply(target, self, args);
      },
    });
    Object.defineProperty(proto, name, descriptor);
  };
  const wrap = (proto, name, before) => wrapSlot(proto, name, 'value', before);
  const wrapSetter = (proto, name, before) => wrapSlot(proto, name, 'set', before);

  // -- canvas ------------------------------------------------------------------------------
  const kinds = new WeakMap();  // canvas -> '2d' | 'webgl' | ...
  const canvasProto = window.HTMLCanvasElement && HTMLCanvasElement.prototype;
  if (canvasProto) {
    const getContext = Object.getOwnPropertyDescriptor(canvasProto, 'getContext');
    if (getContext && typeof getContext.value === 'function') {
      getContext.value = new Proxy(getContext.value, {
        apply(target, self, args) {
          const context = Reflect.apply(target, self, args);
          try {
            if (context && !kinds.has(self)) kinds.set(self, String(args[0]).toLowerCase());
          } catch (e) { /* ignore */ }
          return context;
        },
      });
      Object.defineProperty(canvasProto, 'getContext', getContext);
    }
    const readImage = (canvas) => {
      record('canvas.read', {w: canvas.width, h: canvas.height, kind: kinds.get(canvas) || 'none'});
    };
    wrap(canvasProto, 'toDataURL', readImage);
    wrap(canvasProto, 'toBlob', readImage);
    wrap(canvasProto, 'addEventListener', () => record('canvas.avoid', 'addEventListener'));
  }
  const c2d = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  const styleOf = (value) => (typeof value === 'string' ? value : 'pattern-or-gradient');
  wrap(c2d, 'fillText', (ctx, args) => {
    record('canvas.text', {text: String(args[0]).slice(0, 200), style: styleOf(ctx.fillStyle)});
  });
  wrap(c2d, 'strokeText', (ctx, args) => {
    record('canvas.text', {text: String(args[0]).slice(0, 200), style: styleOf(ctx.strokeStyle)});
  });
  wrap(c2d, 'getImageData', (ctx, args) => {
    record('canvas.read', {w: Math.abs(Number(args[2])), h: Math.abs(Number(args[3])), kind: '2d'});
  });
  wrap(c2d, 'save', () => record('canvas.avoid', 'save'));
  wrap(c2d, 'restore', () => record('canvas.avoid', 'restore'));
  wrap(c2d, 'measureText', (ctx) => record('canvas.font', String(ctx.font)));

  // -- WebGL -------------------------------------------------------------------------------
  const UNMASKED = {0x9245: 'UNMASKED_VENDOR_WEBGL', 0x9246: 'UNMASKED_RENDERER_WEBGL'};
  for (const name of ['WebGLRenderingContext', 'WebGL2RenderingContext']) {
    const gl = window[name] && window[name].prototype;
    wrap(gl, 'getParameter', (ctx, args) => {
      if (UNMASKED[args[0]]) record('webgl.param', UNMASKED[args[0]]);
    });
    wrap(gl, 'drawArrays', () => record('webgl.draw', ''));
    wrap(gl, 'drawElements', () => record('webgl.draw', ''));
    wrap(gl, 'readPixels', (ctx, args) => {
      record('webgl.read', {w: Math.abs(Number(args[2])), h: Math.abs(Number(args[3]))});
    });
  }

  // -- audio -------------------------------------------------------------------------------
  const base = window.BaseAudioContext && BaseAudioContext.prototype;
  const contextKind = (ctx) =>
    (window.OfflineAudioContext && ctx instanceof OfflineAudioContext ? 'offline' : 'live');
  wrap(base, 'createOscillator', (ctx) => record('audio.oscillator', contextKind(ctx)));
  wrap(base, 'createDynamicsCompressor', (ctx) => record('audio.compressor', contextKind(ctx)));
  if (window.OscillatorNode) {
    window.OscillatorNode = new Proxy(window.OscillatorNode, {
      construct(target, args, newTarget) {
        try { record('audio.oscillator', contextKind(args[0])); } catch (e) { /* ignore */ }
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  wrap(window.OfflineAudioContext && OfflineAudioContext.prototype, 'startRendering',
    () => record('audio.render', 'offline'));
  const analyser = window.AnalyserNode && AnalyserNode.prototype;
  for (const name of ['getFloatFrequencyData', 'getByteFrequencyData',
    'getFloatTimeDomainData', 'getByteTimeDomainData']) {
    wrap(analyser, name, () => record('audio.read', name));
  }
  const buffer = window.AudioBuffer && AudioBuffer.prototype;
  wrap(buffer, 'getChannelData', () => record('audio.read', 'getChannelData'));
  wrap(buffer, 'copyFromChannel', () => record('audio.read', 'copyFromChannel'));

  // -- who sent each request ---------------------------------------------------------------
  const absolute = (value) => {
    try { return new URL(String(value), location.href).href.slice(0, 500); } catch (e) { return ''; }
  };
  const started = (value) => {
    const url = absolute(value);
    if (/^https?:/.test(url)) record('request', url);
  };
  wrapSetter(window.HTMLImageElement && HTMLImageElement.prototype, 'src',
    (img, args) => started(args[0]));
  wrap(window.Navigator && Navigator.prototype, 'sendBeacon', (nav, args) => started(args[0]));
  wrap(window.XMLHttpRequest && XMLHttpRequest.prototype, 'open', (xhr, args) => started(args[1]));
  if (typeof window.fetch === 'function') {
    window.fetch = new Proxy(window.fetch, {
      apply(target, self, args) {
        try {
          const input = args[0];
          started(input && typeof input === 'object' && 'url' in input ? input.url : input);
        } catch (e) { /* ignore */ }
        return Reflect.apply(target, self, args);
      },
    });
  }
})();
//# sourceURL=pixel-scan-instrument.js
