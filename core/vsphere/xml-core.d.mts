import type { XmlObject } from './xml';

export declare const XSI_NS: string;
/** Prefixes bound anywhere in the document to the given namespace URI. */
export declare function prefixesFor(xml: string, uri: string): Set<string>;
/** Parses a whole document into plain objects (attributes '@name', xsi type '@xsi', text '#'). */
export declare function parseXmlDocument(xml: string, skip?: SkipElements): XmlObject;

/**
 * Elements the parser passes over unread: `<tag xsi:type="T">` with T in `types` (e.g. the
 * keyboard, video card, PCI controller … of config.hardware.device, never read). Only for
 * elements that cannot contain an element of the same name.
 */
export interface SkipElements {
  tag: string;
  types: ReadonlySet<string>;
}
