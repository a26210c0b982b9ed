import type { XmlObject } from './xml';

export declare const XSI_NS: string;
/** Prefixes bound anywhere in the document to the given namespace URI. */
export declare function prefixesFor(xml: string, uri: string): Set<string>;
/** Parses a whole document into plain objects (attributes '@name', xsi type '@xsi', text '#'). */
export declare function parseXmlDocument(xml: string): XmlObject;
