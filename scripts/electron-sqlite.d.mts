// Types of electron-sqlite.mjs, for the tests that import it (main/electron/electron-sqlite.test.ts).
export interface Runtime {
  exec: string;
  env: Record<string, string | undefined>;
  name: string;
}

export type Choice = { source: 'prebuild' | 'download'; from: string; reasons: string[] } | { source: 'source'; reasons: string[] };

export function prebuildTarget(platform?: string, arch?: string, musl?: boolean): string;
export function loadsIn(sqliteDir: string, binary: string, runtime: Runtime): string | null;
export function releaseAssetUrl(o: { host: string; version: string; abi: string; target: string }): string;
export function abiOf(runtime: Runtime): string | null;
export function choosePrebuilt(o: { sqliteDir: string; nativeBinding: string; runtime: Runtime; target?: string; releaseHost?: string }): Promise<Choice>;
export function describeChoice(choice: Choice, ids: { electron: string; betterSqlite3: string }): string;
