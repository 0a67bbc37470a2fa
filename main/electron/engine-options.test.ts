import { describe, expect, it } from 'vitest';

import { desktopEngineOptions } from './engine-options';
import { parseLaunchArgs, profilePaths } from './profile';

const protector = { isAvailable: () => false, backend: () => 'basic_text', encrypt: (b: Buffer) => b, decrypt: (b: Buffer) => b };

function optionsFor(argv: string[]) {
  const launch = parseLaunchArgs(argv);
  if (!launch.ok) throw new Error(launch.message);
  return desktopEngineOptions(launch.value, profilePaths('/home/u/.config/Lockstep', launch.value.profile), { nativeBinding: '/app/out/native/electron/better_sqlite3.node', protector });
}

describe('the desktop engine options', () => {
  it('records connections for the Wireshark export, keys included (offered behind a warning)', () => {
    // Without a recorder, the export card answered NOT_FOUND in the desktop app.
    expect(optionsFor([]).capture).toEqual({ keepKeys: true });
  });

  it('opens the profile named on the command line and listens where --port says', () => {
    const options = optionsFor(['--profile', 'bob', '--port', '47475']);
    expect(options.profileDir).toBe('/home/u/.config/Lockstep/profiles/bob');
    expect(options.listen).toEqual({ port: 47475 });
    expect(optionsFor([]).listen).toEqual({});
  });

  it('asks about strangers and reveals secrets only in demo mode', () => {
    expect(optionsFor([]).unknownPeers).toBe('ask');
    expect(optionsFor([]).revealSecrets).toBe(false);
    expect(optionsFor(['--demo']).revealSecrets).toBe(true);
  });
});
