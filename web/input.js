// hfrec's input on the canvas (issue 9's people a link reaches): the mouse, pen and wheel at their
// own position, touch (tap, drag, momentum scroll, pinch, long press) and the page's <input> behind
// ImGui's text field, so phones open their keyboard and IMEs work. hfrec.js starts it, after its
// own wake-up listeners and before the module's GLFW registers its listeners:
//   window.hfrecInput({canvas, textInput, app}) -> {syncTextField, focusApp, afterFrame, gliding}
// where app gives mod (the Emscripten module, null until it runs), framesDrawn(), requestFrame(),
// withStrings() and callJson().
'use strict';
window.hfrecInput = ({ canvas, textInput, app }) => {
  // ---- pointer, wheel and touch ---------------------------------------------------------------
  // The page owns the pointer: Emscripten 3.1.6's GLFW hands ImGui the wheel's pixels as notches
  // in the wrong direction, and touch presses at the previous position. Mouse and pen go to the
  // app as moves and presses at their own position; the wheel in CSS pixels; a finger taps, drags
  // what it starts on (slider, scrollbar, map) or else scrolls with momentum; two fingers pinch
  // and pan the map; a finger held still shows the hover card.
  const P_MOVE = 0, P_DOWN = 1, P_UP = 2, P_LEAVE = 3;
  const HOVER_DRAG = 1, HOVER_TEXT = 2;
  const LINE_PX = 40;          // a wheel "line" (deltaMode 1), as browsers scroll one
  const TOUCH_SLOP = 8;        // CSS px a finger may wander and still tap
  const LONG_PRESS_MS = 500;
  const MOMENTUM_MS = 325;     // the swipe's velocity decays by 1/e in this time
  for (const type of ['mousedown', 'mouseup', 'mousemove', 'wheel', 'mousewheel', 'touchstart', 'touchmove',
    'touchend', 'touchcancel']) {
    // Keep GLFW's own listeners on the canvas from seeing these (stopped on the way down).
    window.addEventListener(type, (e) => { if (e.target === canvas) e.stopPropagation(); }, { capture: true, passive: true });
  }
  function canvasXY(e) {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }
  function pointer(kind, x = 0, y = 0, button = 0) {
    if (!app.mod) return;
    app.mod._hfrec_pointer(kind, x, y, button);
    app.requestFrame();
  }
  const imguiButton = (b) => (b === 2 ? 1 : b === 1 ? 2 : 0);  // DOM: 0 left, 1 middle, 2 right
  const domMask = [1, 4, 2];                                     // e.buttons bit of ImGui's 0, 1, 2
  let buttonsDown = 0;
  // Frames after a press or release in which the page follows the active text field even if it
  // did not change (a tap on the field that was already active must still focus the input).
  let followFrames = 0;
  const follow = () => { followFrames = 4; };

  canvas.addEventListener('pointerdown', (e) => {
    if (!app.mod) return;
    if (e.pointerType === 'touch') { touchDown(e); return; }
    const [x, y] = canvasXY(e);
    try { canvas.setPointerCapture(e.pointerId); } catch { /* not capturable */ }
    const b = imguiButton(e.button);
    buttonsDown |= domMask[b];
    pointer(P_DOWN, x, y, b);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!app.mod) return;
    if (e.pointerType === 'touch') { touchMove(e); return; }
    const [x, y] = canvasXY(e);
    pointer(P_MOVE, x, y);
    // A second button pressed or released while one is held arrives as a move.
    for (let b = 0; b < 3; b++) {
      const now = (e.buttons & domMask[b]) !== 0, was = (buttonsDown & domMask[b]) !== 0;
      if (now !== was) pointer(now ? P_DOWN : P_UP, x, y, b);
    }
    buttonsDown = e.buttons & 7;
  });
  const mouseUp = (e) => {
    if (!app.mod) return;
    if (e.pointerType === 'touch') { touchUp(e, e.type === 'pointercancel'); return; }
    const [x, y] = canvasXY(e);
    const b = imguiButton(e.button);
    if (e.type === 'pointercancel') {
      for (let i = 0; i < 3; i++) if (buttonsDown & domMask[i]) pointer(P_UP, x, y, i);
      buttonsDown = 0;
      return;
    }
    buttonsDown &= ~domMask[b];
    pointer(P_UP, x, y, b);
    follow();
  };
  canvas.addEventListener('pointerup', mouseUp);
  canvas.addEventListener('pointercancel', mouseUp);
  canvas.addEventListener('pointerleave', (e) => {
    if (e.pointerType !== 'touch' && !buttonsDown) pointer(P_LEAVE);
  });

  // The wheel scrolls what is under the pointer by the browser's distance (pixels; lines and pages
  // converted), in the browser's direction. Ctrl + wheel stays the browser's page zoom.
  window.addEventListener('wheel', (e) => {
    if (e.target !== canvas || !app.mod || e.ctrlKey) return;
    e.preventDefault();
    let dx = e.deltaX, dy = e.deltaY;
    if (e.deltaMode === 1) { dx *= LINE_PX; dy *= LINE_PX; }
    else if (e.deltaMode === 2) { dx *= canvas.clientWidth * 0.9; dy *= canvas.clientHeight * 0.9; }
    if (e.shiftKey && !dx) { dx = dy; dy = 0; }
    const [x, y] = canvasXY(e);
    pointer(P_MOVE, x, y);
    app.mod._hfrec_wheel(dx, dy);
    app.requestFrame();
  }, { capture: true, passive: false });

  // Touch: `touch` follows the first finger; `pinch` the two-finger gesture.
  const fingers = new Map();  // pointerId -> [x, y]
  let touch = null;           // {id, mode: pending|hold|drag|scroll|pinch, x0, y0, x, y, samples, frame}
  let pinch = null;           // {d, cx, cy}
  let longPress = 0;
  let momentum = 0;           // requestAnimationFrame id of the swipe's glide
  function pinchOf() {
    const [a, b] = [...fingers.values()];
    return { d: Math.hypot(a[0] - b[0], a[1] - b[1]), cx: (a[0] + b[0]) / 2, cy: (a[1] + b[1]) / 2 };
  }
  function stopMomentum() {
    if (momentum) cancelAnimationFrame(momentum);
    momentum = 0;
  }
  function touchDown(e) {
    e.preventDefault();  // no emulated mouse events after the touch
    stopMomentum();
    const [x, y] = canvasXY(e);
    fingers.set(e.pointerId, [x, y]);
    try { canvas.setPointerCapture(e.pointerId); } catch { /* not capturable */ }
    if (fingers.size === 1) {
      touch = { id: e.pointerId, mode: 'pending', x0: x, y0: y, x, y, samples: [[e.timeStamp, x, y]], frame: app.framesDrawn() };
      pointer(P_MOVE, x, y);  // the app sees where the finger is before anything else
      clearTimeout(longPress);
      longPress = setTimeout(() => { if (touch && touch.mode === 'pending') touch.mode = 'hold'; }, LONG_PRESS_MS);
    } else if (fingers.size === 2) {
      clearTimeout(longPress);
      if (touch && touch.mode === 'drag') pointer(P_UP, touch.x, touch.y, 0);
      if (touch) touch.mode = 'pinch';
      pinch = pinchOf();
    }
  }
  function touchMove(e) {
    if (!fingers.has(e.pointerId)) return;
    const [x, y] = canvasXY(e);
    fingers.set(e.pointerId, [x, y]);
    if (fingers.size >= 2 && pinch) {
      const p = pinchOf();
      app.mod._hfrec_gesture(p.cx, p.cy, pinch.d > 0 && p.d > 0 ? p.d / pinch.d : 1, p.cx - pinch.cx, p.cy - pinch.cy);
      app.requestFrame();
      pinch = p;
      return;
    }
    if (!touch || e.pointerId !== touch.id) return;
    const dx = x - touch.x, dy = y - touch.y;
    touch.x = x;
    touch.y = y;
    touch.samples.push([e.timeStamp, x, y]);
    if (touch.samples.length > 16) touch.samples.shift();
    if (touch.mode === 'pending' || touch.mode === 'hold') {
      if (Math.hypot(x - touch.x0, y - touch.y0) < TOUCH_SLOP) return;
      clearTimeout(longPress);
      // What the finger started on, known once a frame has been drawn since it landed.
      const onDraggable = touch.mode === 'hold' || (app.framesDrawn() > touch.frame && app.mod._hfrec_hover_kind() === HOVER_DRAG);
      if (onDraggable) {
        touch.mode = 'drag';
        pointer(P_DOWN, touch.x0, touch.y0, 0);
        pointer(P_MOVE, x, y);
      } else {
        touch.mode = 'scroll';
        scrollBy(touch.x0 - x, touch.y0 - y);
      }
      return;
    }
    if (touch.mode === 'drag') pointer(P_MOVE, x, y);
    else if (touch.mode === 'scroll') scrollBy(-dx, -dy);
  }
  function scrollBy(dx, dy) {
    app.mod._hfrec_wheel(dx, dy);
    app.requestFrame();
  }
  function touchUp(e, cancelled) {
    if (!fingers.has(e.pointerId)) return;
    const [x, y] = canvasXY(e);
    fingers.delete(e.pointerId);
    clearTimeout(longPress);
    if (!touch) return;
    if (touch.mode === 'pinch') {
      pinch = fingers.size >= 2 ? pinchOf() : null;
      if (!fingers.size) { touch = null; pointer(P_LEAVE); }
      return;
    }
    if (e.pointerId !== touch.id) return;
    const t = touch;
    touch = null;
    if (t.mode === 'pending' && !cancelled) {
      // A tap on a text field focuses the page's input inside the tap: phones open their keyboard
      // only in answer to a gesture.
      if (app.framesDrawn() > t.frame && app.mod._hfrec_hover_kind() === HOVER_TEXT) focusTextInput();
      pointer(P_DOWN, x, y, 0);
      pointer(P_UP, x, y, 0);
      pointer(P_LEAVE);
      follow();
    } else if (t.mode === 'drag') {
      pointer(P_UP, x, y, 0);
      pointer(P_LEAVE);
    } else if (t.mode === 'scroll' && !cancelled) {
      glide(t);
    } else if (t.mode !== 'hold') {
      pointer(P_LEAVE);
    }  // after a long press the hover card stays until the next touch
  }
  // The swipe goes on at its last velocity (over its final 100 ms), decaying, as a page scrolls.
  function glide(t) {
    const s = t.samples, last = s[s.length - 1];
    let first = last;
    for (const q of s) if (last[0] - q[0] <= 100) { first = q; break; }
    const dt = last[0] - first[0];
    let vx = dt > 0 ? -(last[1] - first[1]) / dt : 0, vy = dt > 0 ? -(last[2] - first[2]) / dt : 0;
    const speedCap = 8;  // px/ms
    const v = Math.hypot(vx, vy);
    if (v > speedCap) { vx *= speedCap / v; vy *= speedCap / v; }
    if (Math.hypot(vx, vy) < 0.05) { pointer(P_LEAVE); return; }
    let prev = 0;
    const step = (ts) => {
      if (prev) {
        const h = Math.min(50, ts - prev);
        scrollBy(vx * h, vy * h);
        const decay = Math.exp(-h / MOMENTUM_MS);
        vx *= decay;
        vy *= decay;
      }
      prev = ts;
      if (Math.hypot(vx, vy) < 0.02) { momentum = 0; pointer(P_LEAVE); return; }
      momentum = requestAnimationFrame(step);
    };
    momentum = requestAnimationFrame(step);
  }

  // ---- the text input behind ImGui's text field -----------------------------------------------
  // A real <input> mirrors ImGui's active text field (the search box): it sits over the field,
  // invisible, and holds the focus while the field is active, so phones open their keyboard and
  // IMEs, autocorrect and dictation work. Its whole text and selection go to the app on every
  // change; keys that are not text editing (Enter, Escape, Tab, Up, Down) go on to ImGui.
  const TO_IMGUI = new Set(['Enter', 'Escape', 'Tab', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown']);
  const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta']);
  let composing = false;
  for (const type of ['keydown', 'keypress', 'keyup']) {
    // Registered before GLFW's own (window, capture), so text keys stop here.
    window.addEventListener(type, (e) => {
      if (e.target !== textInput) return;
      // Modifiers go on too, so ImGui and GLFW know Shift (Shift+Tab) and Ctrl.
      if ((TO_IMGUI.has(e.key) || MODIFIERS.has(e.key)) && !e.isComposing && !composing) {
        if (e.key === 'Tab' && type === 'keydown') e.preventDefault();
        return;
      }
      e.stopImmediatePropagation();
    }, true);
  }
  function sendText() {
    if (!app.mod) return;
    app.withStrings([textInput.value], (p) => app.mod._hfrec_text_input(p, textInput.selectionStart ?? textInput.value.length,
      textInput.selectionEnd ?? textInput.value.length));
    app.requestFrame();
  }
  for (const type of ['input', 'select', 'keyup', 'click']) textInput.addEventListener(type, sendText);
  textInput.addEventListener('compositionstart', () => { composing = true; });
  textInput.addEventListener('compositionend', () => { composing = false; sendText(); });
  function placeTextInput(f) {
    const r = canvas.getBoundingClientRect();
    Object.assign(textInput.style, {
      left: `${r.left + f.x}px`, top: `${r.top + f.y}px`, width: `${Math.max(1, f.w)}px`, height: `${Math.max(1, f.h)}px`,
    });
  }
  function focusTextInput() {
    if (document.activeElement !== textInput) textInput.focus({ preventScroll: true });
  }
  // After a frame in which the active text field changed: follow it.
  function syncTextField() {
    if (!app.mod) return;
    const f = app.callJson(app.mod._hfrec_text_field);
    if (!f.active) {
      if (document.activeElement === textInput) canvas.focus({ preventScroll: true });
      return;
    }
    placeTextInput(f);
    if (composing) return;
    if (textInput.value !== f.text) textInput.value = f.text;
    focusTextInput();
    if (textInput.selectionEnd !== f.cursor || textInput.selectionStart > f.cursor) {
      try { textInput.setSelectionRange(f.cursor, f.cursor); } catch { /* not a text type */ }
    }
  }
  // Gives the keyboard focus to the app: its text input while a field is active, else the canvas.
  function focusApp() {
    if (app.mod && app.callJson(app.mod._hfrec_text_field).active) syncTextField();
    else canvas.focus({ preventScroll: true });
  }

  // After each drawn frame: follow the text field for a few frames after a press or release.
  function afterFrame() {
    if (followFrames > 0) { followFrames--; syncTextField(); }
  }
  // True while a swipe's momentum glide is still scrolling (hfrec.idle() waits for it).
  const gliding = () => momentum !== 0;
  return { syncTextField, focusApp, afterFrame, gliding };
};
