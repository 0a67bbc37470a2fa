/**
 * Lockstep wire protocol v1: the frame types and their schemas (PROTOCOL.md is the prose form).
 * A frame that is not JSON, or breaks its schema, is malformed; an unknown `type` is not an
 * error, so later versions can add frames that v1 peers ignore.
 */
import { z } from 'zod';

import { MAX_ID_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS } from '../../../shared/limits';

export const PROTOCOL_VERSION = 1;
export const ALPN = 'lockstep/1';
export { MAX_TEXT_CHARS };

const Id = z.string().min(1).max(MAX_ID_CHARS);

export const HelloFrame = z.object({
  type: z.literal('hello'),
  v: z.number().int().min(1),
  name: z.string().max(MAX_NAME_CHARS),
  caps: z.array(z.string().max(32)).max(32).default([]),
});
export const MsgFrame = z.object({
  type: z.literal('msg'),
  id: Id,
  at: z.string().max(40),
  text: z.string().min(1).max(MAX_TEXT_CHARS),
});
export const AckFrame = z.object({ type: z.literal('ack'), id: Id });
export const PingFrame = z.object({ type: z.literal('ping'), n: z.number().int().optional() });
export const PongFrame = z.object({ type: z.literal('pong'), n: z.number().int().optional() });
export const ByeFrame = z.object({ type: z.literal('bye'), reason: z.string().max(200).optional() });
export const ErrorFrame = z.object({ type: z.literal('error'), code: z.string().max(MAX_ID_CHARS), message: z.string().max(500) });

export const Frame = z.discriminatedUnion('type', [HelloFrame, MsgFrame, AckFrame, PingFrame, PongFrame, ByeFrame, ErrorFrame]);
export type Frame = z.infer<typeof Frame>;
export type FrameOf<T extends Frame['type']> = Extract<Frame, { type: T }>;

const KNOWN: ReadonlySet<string> = new Set(Frame.options.map((o) => o.shape.type.value));

export type ParsedFrame =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; message: string };

export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', message: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', message: 'a frame is a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'malformed', message: 'a frame needs a string "type"' };
  if (!KNOWN.has(type)) return { kind: 'unknown', type: type.slice(0, 32) };
  const parsed = Frame.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'malformed', message: `${type}: ${issue?.path.join('.') || 'frame'} ${issue?.message ?? 'invalid'}` };
  }
  return { kind: 'frame', frame: parsed.data };
}
