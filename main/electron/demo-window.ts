/** The one-laptop demo's window placement: Alice on the left half of the screen, Bob on the right. */
import type { Rectangle } from 'electron';

export function demoWindowBounds(workArea: Rectangle, side: 'left' | 'right'): Rectangle {
  const width = Math.floor(workArea.width / 2);
  return { x: workArea.x + (side === 'left' ? 0 : width), y: workArea.y, width, height: workArea.height };
}
