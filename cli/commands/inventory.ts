import type { Command } from 'commander';

/**
 * `siteshift inventory <kind>`: one sub-command per connector. Each connector registers its own
 * sub-command in its own file (inventory-vsphere.ts, inventory-hyperv.ts).
 */
export function registerInventory(program: Command): Command {
  return program.command('inventory').description('read the inventory of a vCenter/ESXi or Hyper-V host');
}
