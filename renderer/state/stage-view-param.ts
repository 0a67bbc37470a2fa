/**
 * Which view a window opens on: the app (contacts, chat, the compact panel) or the stage. The
 * desktop shell picks it for a window with `#view=stage` (or `?view=stage`) on the entry URL —
 * the one-laptop demo's second screen opens on the stage.
 */
export type AppView = 'app' | 'stage';

export function viewFromLocation(location: Pick<Location, 'hash' | 'search'>): AppView {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('view');
  const fromQuery = new URLSearchParams(location.search).get('view');
  return (fromHash ?? fromQuery) === 'stage' ? 'stage' : 'app';
}
