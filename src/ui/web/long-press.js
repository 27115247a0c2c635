/**
 * Calls `fire` when `target` is held down for `ms` without being let go (the operator's way in:
 * holding the station's name). Nothing is loaded until it fires.
 * @param {HTMLElement} target
 * @param {number} ms
 * @param {() => void} fire
 */
export function watchLongPress(target, ms, fire) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const cancel = () => clearTimeout(timer);
  target.addEventListener('pointerdown', () => {
    cancel();
    timer = setTimeout(fire, ms);
  });
  for (const t of ['pointerup', 'pointercancel', 'pointerleave']) target.addEventListener(t, cancel);
}
