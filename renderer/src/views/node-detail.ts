import type { MapNode } from '../../../shared/topology/map';
import { nodeFacts } from '../../../shared/topology/map-text';
import { locale } from '../i18n';

/**
 * A leaf node's line of facts in the console's language ("on · 10.0.0.4", "66 pairs · 1 alert"),
 * worded as the exports word it (shared/topology/map-text.ts).
 */
export function nodeDetail(n: MapNode): string {
  return nodeFacts(locale(), n);
}
