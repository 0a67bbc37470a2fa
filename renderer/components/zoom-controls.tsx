import type { Zoom } from '../state/zoom';

/** A−/A+ for the presenter; Ctrl+= / Ctrl+- / Ctrl+0 do the same from the keyboard. */
export function ZoomControls({ zoom }: { zoom: Zoom }) {
  return (
    <div className="zoom" role="group" aria-label="Text size">
      <button type="button" aria-label="Smaller text" title="Smaller text (Ctrl+-)" onClick={zoom.zoomOut}>
        A−
      </button>
      <button type="button" aria-label={`Reset text size, now ${Math.round(zoom.scale * 100)} percent`} title="Reset (Ctrl+0)" onClick={zoom.reset}>
        {Math.round(zoom.scale * 100)}%
      </button>
      <button type="button" aria-label="Larger text" title="Larger text (Ctrl+=)" onClick={zoom.zoomIn}>
        A+
      </button>
    </div>
  );
}
