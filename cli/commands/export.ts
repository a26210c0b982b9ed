import type { Command } from 'commander';
import type { ExportFormat } from '../../shared/export/schema';
import { type Locale, locales } from '../../shared/i18n/locale';
import { EXPORT_HOST_VMS, exportFormats } from '../../shared/names';
import { type ConnOpts, withConn } from '../conn';
import { CliError } from '../io';
import { choice } from '../options';
import { type HypervOptions, hypervOptions } from './inventory-hyperv';
import { type VsphereOptions, vsphereOptions } from './inventory-vsphere';

/** What the verbs do: cli/actions/export.ts, loaded when one runs. */
const actions = () => import('../actions/export');

export interface OutputOptions {
  format: ExportFormat;
  out: string;
  signKey?: string;
  /** Hosts with at most this many VMs are drawn open (html, svg, png, pdf); 'all' opens every one. */
  expand: number | 'all';
  /** The language of the words in the picture, HTML and runbook (JSON stays data). */
  language: Locale;
}

function parseExpand(value: string): number | 'all' {
  if (value === 'all') return 'all';
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new CliError(
      `--expand must be a whole number of VMs (0 folds every host) or "all", not "${value}"`,
      2,
    );
  return n;
}

function outputOptions(cmd: Command): Command {
  return cmd
    .option('--format <format>', exportFormats.join(' | '), choice('--format', exportFormats), 'json')
    .requiredOption('--out <file>', 'file to write (JSON exports are named *.siteshift.json by convention)')
    .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign the export with')
    .option(
      '--expand <vms>',
      `the picture (html, svg, png, pdf) draws the VMs of each host with at most this many, and folds bigger hosts into one box with their counts; 0 folds every host, "all" draws every VM`,
      parseExpand,
      EXPORT_HOST_VMS,
    )
    .option(
      '--language <language>',
      `language of the words in html, svg, png and pdf (${locales.join(' | ')}); json stays data`,
      choice('--language', locales),
      'en',
    );
}

/** `siteshift export SOURCE --format F --out FILE`: the estate for offline use. */
export function registerExport(program: Command): void {
  const exp = program
    .command('export')
    .description('export the topology for offline use: JSON (verifiable), HTML, SVG, PNG or a PDF runbook');

  outputOptions(
    vsphereOptions(exp.command('vsphere').description('export straight from a vCenter or ESXi host')),
  ).action(async (opts: VsphereOptions & OutputOptions) => (await actions()).exportVsphere(opts));

  outputOptions(
    hypervOptions(exp.command('hyperv').description('export straight from a Hyper-V host over SSH')),
  ).action(async (opts: HypervOptions & OutputOptions) => (await actions()).exportHyperv(opts));

  outputOptions(
    withConn(
      exp
        .command('server')
        .description(
          'export a whole deployment from its configuration server: sites, endpoints and their inventories, plans, pairs, master target slot maps, recovery points, readiness',
        ),
    ),
  ).action(async (opts: ConnOpts & OutputOptions) => (await actions()).exportServer(opts));

  outputOptions(
    exp
      .command('lab')
      .description('export the embedded lab estate (its two sites and its configuration server)')
      .option(
        '--vms <n>',
        'protectable VMs on the lab primary vCenter',
        (v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1 || n > 100_000)
            throw new CliError(`--vms must be a whole number from 1 to 100000, not "${v}"`, 2);
          return n;
        },
        48,
      ),
  ).action(async (opts: OutputOptions & { vms: number }) => (await actions()).exportLab(opts));
}
