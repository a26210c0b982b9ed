import { openConsole } from '../test/support/console';
const c = await openConsole();
const { page } = c;
try {
  for (const theme of ['light', 'dark']) {
    await c.nav('Settings');
    await page.getByRole('region', { name: 'Appearance' }).getByRole('combobox').selectOption(theme);
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'File ▾' }).click();
    await page.screenshot({ path: `tmp/${theme}-filemenu.png` });
    await page.getByRole('menuitem', { name: 'Export…', exact: true }).click();
    await page.getByRole('dialog', { name: 'Export the estate' }).waitFor();
    await page.screenshot({ path: `tmp/${theme}-export.png` });
    await page.getByRole('button', { name: 'Close' }).click();
    for (const v of ['Topology', 'Inventory', 'Protection', 'Jobs']) {
      await c.nav(v);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `tmp/${theme}-${v}.png` });
    }
  }
  console.log(c.problems);
} finally {
  await c.close();
}
