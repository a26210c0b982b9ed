import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { Busy, Loading } from '../../renderer/src/components/states';
import { setLanguage } from '../../renderer/src/i18n';

afterEach(() => setLanguage('en'));

const states = 'renderer/src/components/states.tsx';
const tsx = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsx(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );

describe('the busy state', () => {
  it('is a polite status whose name is what the console is doing, the spinner hidden from screen readers', () => {
    expect(renderToStaticMarkup(createElement(Busy, null, 'Checking plan…'))).toBe(
      '<div class="state state-loading" role="status"><span class="spinner" aria-hidden="true"></span> Checking plan…</div>',
    );
    setLanguage('nl');
    expect(renderToStaticMarkup(createElement(Loading, { what: 'Plannen' }))).toBe(
      '<div class="state state-loading" role="status"><span class="spinner" aria-hidden="true"></span> Plannen laden…</div>',
    );
  });

  it('is written once: every busy spinner on screen is the Busy component', () => {
    const copies = tsx('renderer/src')
      .filter((file) => relative('.', file) !== states)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /state-loading|className="spinner"/.test(line) ? [`${relative('.', file)}:${i + 1}`] : [],
          ),
      );
    expect(copies).toEqual([]);
  });
});
