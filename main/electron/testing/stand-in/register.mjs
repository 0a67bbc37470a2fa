// `node --import <this file> out/main/index.js …`: run the built main process with the bare
// specifier `electron` resolved to the stand-in bundle named in LOCKSTEP_STAND_IN (a file URL).
/* global process */
import { registerHooks } from 'node:module';

const standIn = process.env.LOCKSTEP_STAND_IN;
if (!standIn) throw new Error('LOCKSTEP_STAND_IN names no stand-in bundle (a file:// URL).');

registerHooks({
  resolve(specifier, context, next) {
    return specifier === 'electron' ? { url: standIn, shortCircuit: true } : next(specifier, context);
  },
});
