import { describe, expect, it } from 'vitest';
import { worstLevel as configServerWorst } from '../../shared/configserver';
import { healthLevels, healthRank, worseOf, worstLevel } from '../../shared/schemas/health';
import { healthSchema } from '../../shared/schemas/topology';

describe('one health scale', () => {
  it('ranks ok < unknown < warning < critical, everywhere', () => {
    expect([...healthLevels].sort((a, b) => healthRank(a) - healthRank(b))).toEqual([
      'ok',
      'unknown',
      'warning',
      'critical',
    ]);
    expect(healthSchema.options).toEqual([...healthLevels]);
    expect(configServerWorst).toBe(worstLevel);
  });

  it('takes the worst: an unknown member is not healthy, and nothing at all is ok', () => {
    expect(worseOf('ok', 'unknown')).toBe('unknown');
    expect(worseOf('unknown', 'ok')).toBe('unknown');
    expect(worseOf('warning', 'unknown')).toBe('warning');
    expect(worstLevel(['ok', 'unknown', 'ok'])).toBe('unknown');
    expect(worstLevel(['ok', null, 'critical', undefined, 'warning'])).toBe('critical');
    expect(worstLevel([])).toBe('ok');
  });
});
