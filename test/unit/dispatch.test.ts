import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type Handlers } from '../../shared/dispatch';
import { ApiError } from '../../shared/errors';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const fail = async () => {
    throw new Error('not used');
  };
  return {
    'app:info': async () => ({
      name: 'Siteshift',
      version: '1.0.0',
      host: 'test',
      platform: 'linux-x64',
      lab: true,
    }),
    'connections:list': async () => [],
    'connections:add': fail,
    'connections:remove': async () => ({ removed: false }),
    'connections:test': fail,
    'connections:check': fail,
    'inventory:get': fail,
    'topology:get': fail,
    'protection:get': fail,
    'jobs:list': fail,
    ...overrides,
  } as Handlers;
}

describe('dispatcher', () => {
  it('refuses invalid input with a schema error before the handler runs', async () => {
    const remove = vi.fn(async () => ({ removed: true }));
    const dispatch = createDispatcher(handlers({ 'connections:remove': remove }));
    const err = await dispatch('connections:remove', { id: 42 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid-input');
    expect((err as ApiError).message).toMatch(/^connections:remove: id: /);
    expect(remove).not.toHaveBeenCalled();
  });

  it('refuses unknown fields (strict input)', async () => {
    const list = vi.fn(async () => []);
    const dispatch = createDispatcher(handlers({ 'connections:list': list }));
    await expect(dispatch('connections:list', { sneaky: true })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(list).not.toHaveBeenCalled();
  });

  it('refuses an unknown call name, including prototype names', async () => {
    const dispatch = createDispatcher(handlers());
    await expect(dispatch('vms:deleteAll', {})).rejects.toMatchObject({ code: 'unknown-call' });
    await expect(dispatch('constructor', {})).rejects.toMatchObject({ code: 'unknown-call' });
    await expect(dispatch(undefined, {})).rejects.toMatchObject({ code: 'unknown-call' });
  });

  it('checks the handler output against the contract', async () => {
    const dispatch = createDispatcher(handlers({ 'app:info': async () => ({ name: 'Other' }) as never }));
    await expect(dispatch('app:info', {})).rejects.toMatchObject({ code: 'invalid-output' });
  });

  it('passes handler errors through with their code', async () => {
    const dispatch = createDispatcher(
      handlers({
        'connections:remove': async () => {
          throw new ApiError('conflict', 'Lab connections cannot be removed.');
        },
      }),
    );
    await expect(dispatch('connections:remove', { id: 'x' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Lab connections cannot be removed.',
    });
  });

  it('does not run a handler for an already aborted call', async () => {
    const list = vi.fn(async () => []);
    const dispatch = createDispatcher(handlers({ 'connections:list': list }));
    const controller = new AbortController();
    controller.abort();
    await expect(dispatch('connections:list', {}, controller.signal)).rejects.toThrow();
    expect(list).not.toHaveBeenCalled();
  });
});
