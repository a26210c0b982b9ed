import { describe, expect, it } from 'vitest';
import { type Column, fitting } from '../../renderer/src/components/VirtualTable';

const column = (title: string, drop?: number): Column<{ id: string }> => ({
  title,
  width: '1fr',
  render: () => null,
  ...(drop === undefined ? {} : { drop }),
});

describe('the columns a table shows in the width it has', () => {
  const columns = [
    column('Name'),
    column('Status'),
    column('Size', 3),
    column('IP', 2),
    column('Guest OS', 1),
  ];
  const mins = [120, 160, 130, 100, 110];
  // Each column takes its minimum and an 8 px gap; the row has 24 px of padding.
  const all = mins.reduce((n, m) => n + m + 8, 24);

  it('shows every column where all fit', () => {
    expect(fitting(columns, mins, all)).toEqual([0, 1, 2, 3, 4]);
  });

  it('leaves out the optional ones, highest drop first, until the rest fit', () => {
    expect(fitting(columns, mins, all - 1)).toEqual([0, 1, 3, 4]);
    expect(fitting(columns, mins, all - 138 - 1)).toEqual([0, 1, 4]);
    expect(fitting(columns, mins, 300)).toEqual([0, 1]);
  });

  it('never leaves out a column without drop: the table scrolls in its own box instead', () => {
    expect(fitting(columns, mins, 100)).toEqual([0, 1]);
  });

  it('shows every column before its width is known', () => {
    expect(fitting(columns, mins, 0)).toEqual([0, 1, 2, 3, 4]);
  });
});
