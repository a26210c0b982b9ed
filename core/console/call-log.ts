import type { Dispatch } from '../../shared/dispatch';
import { toErrorPayload } from '../../shared/errors';
import type { Logger } from '../log';

/**
 * Logs every console call whatever the transport: name and duration, and for a failure its
 * error code, message and input (secret-named keys are redacted by the logger, and any secret
 * seen there is then redacted by value from every later line).
 */
export function loggedDispatch(dispatch: Dispatch, logger: Logger): Dispatch {
  return async (name, input, signal) => {
    const started = performance.now();
    try {
      const result = await dispatch(name, input, signal);
      logger.debug({ call: name, ms: Math.round(performance.now() - started) }, 'call');
      return result;
    } catch (err) {
      const error = toErrorPayload(err);
      const level = error.code === 'internal' || error.code === 'invalid-output' ? 'error' : 'warn';
      logger[level](
        { call: name, ms: Math.round(performance.now() - started), code: error.code, input },
        `call failed: ${error.message}`,
      );
      throw err;
    }
  };
}
