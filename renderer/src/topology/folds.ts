import { create } from 'zustand';

/**
 * The clusters and hosts the operator opened on the live map. Kept outside the map view so that
 * File → Export draws the picture the operator sees (shared/topology/export-view.ts), and the map
 * opens as it was left when the operator comes back to it.
 */
export interface MapFolds {
  expanded: ReadonlySet<string>;
  update(change: (expanded: ReadonlySet<string>) => ReadonlySet<string>): void;
}

export const useMapFolds = create<MapFolds>((set) => ({
  expanded: new Set(),
  update: (change) => set((s) => ({ expanded: change(s.expanded) })),
}));
