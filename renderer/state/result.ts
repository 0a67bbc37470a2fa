import type { ErrorView, Result } from '../../shared/views';

/**
 * Calls across IPC answer with an envelope and should never throw, but a broken transport can
 * still reject: turn that into an envelope too, so callers handle one shape.
 */
export async function settle<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'INTERNAL', message: `The engine did not answer: ${message}` } };
  }
}

/** A failed envelope, carried as an exception by code that only wants the value. */
export class ApiError extends Error {
  constructor(readonly error: ErrorView) {
    super(error.message);
  }
}

export async function valueOf<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await settle(call);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}
