import { describe, expect, it } from 'vitest';
import { tokenName } from '../../renderer/src/views/format';

describe("a job's starter as the Jobs screen names it", () => {
  it('parts the moment the lab writes into its tokens’ names from the name, and leaves other names whole', () => {
    expect(tokenName('lab-console 2026-11-30T07:10:42.123Z')).toEqual({
      name: 'lab-console',
      created: '2026-11-30T07:10:42.123Z',
    });
    expect(tokenName('ops laptop')).toEqual({ name: 'ops laptop', created: null });
    // A name that is nothing but a moment stays the name.
    expect(tokenName('2026-11-30T07:10:42Z')).toEqual({ name: '2026-11-30T07:10:42Z', created: null });
  });
});
