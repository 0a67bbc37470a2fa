// `node --import <this file> out/main/index.js …`: run the built main process with the bare
// specifier `electron` resolved to the stand-in bundle named in LOCKSTEP_STAND_IN (a file URL).
/* global process */
import * as nodeModule from 'node:module';

const standIn = process.env.LOCKSTEP_STAND_IN;
if (!standIn) throw new Error('LOCKSTEP_STAND_IN names no stand-in bundle (a file:// URL).');

if (typeof nodeModule.registerHooks === 'function') {
  nodeModule.registerHooks({
    resolve(specifier, context, next) {
      return specifier === 'electron' ? { url: standIn, shortCircuit: true } : next(specifier, context);
    },
  });
} else {
  // Node before 22.15 has only the off-thread hooks: the same resolve, as a module of its own.
  const hooks = `export async function resolve(specifier, context, next) { return specifier === 'electron' ? { url: ${JSON.stringify(standIn)}, shortCircuit: true } : next(specifier, context); }`;
  nodeModule.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
