import { Fragment, type ReactNode } from 'react';
import { type Key, parts, useT } from '.';

/** A message whose placeholders are elements (a path in monospace, a link) rather than text. */
export function Trans({ k, values }: { k: Key; values: Record<string, ReactNode> }) {
  useT();
  return (
    <>
      {parts(k).map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one message never reorder
        <Fragment key={i}>{typeof p === 'string' ? p : values[p.name]}</Fragment>
      ))}
    </>
  );
}
