import { useCallback, useEffect, useState } from 'react';

/** Text scales a presenter can step through; everything is sized in rem, so the root font size scales the app. */
export const ZOOM_STEPS = [0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;
const KEY = 'lockstep.zoom';

function readSaved(): number {
  try {
    const saved = Number(localStorage.getItem(KEY));
    return (ZOOM_STEPS as readonly number[]).includes(saved) ? saved : 1;
  } catch {
    return 1; // storage can be unavailable (a locked-down profile): fall back to 100 %
  }
}

function nearestIndex(scale: number): number {
  let best = 0;
  ZOOM_STEPS.forEach((step, i) => {
    if (Math.abs(step - scale) < Math.abs(ZOOM_STEPS[best]! - scale)) best = i;
  });
  return best;
}

export interface Zoom {
  scale: number;
  zoomIn(): void;
  zoomOut(): void;
  reset(): void;
}

/** The presenter's text size: applied to <html>, kept across restarts, and bound to Ctrl+= / Ctrl+- / Ctrl+0. */
export function useZoom(): Zoom {
  const [scale, setScale] = useState(readSaved);

  useEffect(() => {
    // A CSSOM property, not a style attribute: allowed by the CSP's style-src 'self'.
    document.documentElement.style.fontSize = `${Math.round(scale * 100)}%`;
    try {
      localStorage.setItem(KEY, String(scale));
    } catch {
      // not persisted; the size still applies for this session
    }
  }, [scale]);

  const zoomIn = useCallback(() => setScale((s) => ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, nearestIndex(s) + 1)]!), []);
  const zoomOut = useCallback(() => setScale((s) => ZOOM_STEPS[Math.max(0, nearestIndex(s) - 1)]!), []);
  const reset = useCallback(() => setScale(1), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (event.key === '=' || event.key === '+') zoomIn();
      else if (event.key === '-' || event.key === '_') zoomOut();
      else if (event.key === '0') reset();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [zoomIn, zoomOut, reset]);

  return { scale, zoomIn, zoomOut, reset };
}
