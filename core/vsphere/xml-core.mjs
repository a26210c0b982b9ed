// The XML-to-object step of the SOAP parser, in plain JavaScript so that the parse workers
// (parse-worker.mjs) load it without a TypeScript loader. Types: xml-core.d.mts.
import { XMLParser } from 'fast-xml-parser';

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const NS_DECL = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g;

/** Prefixes bound anywhere in the document to the given namespace URI. */
export function prefixesFor(xml, uri) {
  const out = new Set();
  // Declarations sit on the envelope (vCenter) or on each typed element (vcsim): scan them all.
  let at = xml.indexOf('xmlns:');
  while (at !== -1) {
    NS_DECL.lastIndex = at;
    const m = NS_DECL.exec(xml);
    if (m && m.index === at && m[2] === uri) out.add(m[1]);
    at = xml.indexOf('xmlns:', at + 6);
  }
  return out;
}

function makeParser(xsiPrefixes) {
  // The callback sees names with the attribute prefix already applied ('@xsi:type').
  const xsiNames = new Set([...xsiPrefixes].map((p) => `@${p}:type`));
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: (name) => name.startsWith('xmlns'),
    attributeNamePrefix: '@',
    textNodeName: '#',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    htmlEntities: false,
    // Callbacks get a cheap matcher instead of a path string built per node.
    jPath: false,
    // Entities are decoded once, lazily, by text() and attr() in xml.ts: the parser's own pass
    // cost a third of the parse for values that rarely hold one, and this leaves no DOCTYPE
    // entity expansion to abuse.
    processEntities: false,
    transformAttributeName: (name) => (xsiNames.has(name) ? '@xsi' : name),
  });
}

/**
 * The ordered tree as plain objects: repeated elements become arrays, attributes ('@name', the
 * XML Schema instance type as '@xsi' whatever its prefix) and text ('#') sit beside the
 * children. Done here rather than by the parser's own compaction, which also runs per-node
 * callbacks this package does not use and took a fifth of the parse.
 */
function fromOrdered(nodes) {
  let out = null;
  let textValue = null;
  for (const node of nodes) {
    let tag;
    for (const k in node) {
      if (k !== ':@') {
        tag = k;
        break;
      }
    }
    if (tag === undefined) continue;
    const content = node[tag];
    if (tag === '#') {
      textValue = (textValue ?? '') + content;
      continue;
    }
    let value = content.length ? fromOrdered(content) : '';
    const attrs = node[':@'];
    if (attrs) {
      const o = typeof value === 'string' ? (value === '' ? {} : { '#': value }) : value;
      for (const a in attrs) o[a] = attrs[a];
      value = o;
    }
    out ??= {};
    const prev = out[tag];
    if (prev === undefined) out[tag] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[tag] = [prev, value];
  }
  if (out === null) return textValue ?? '';
  if (textValue !== null && textValue.trim() !== '') out['#'] = textValue;
  return out;
}

/** Parses a whole document (lenient: see the validation in xml.ts). */
export function parseXmlDocument(xml) {
  return fromOrdered(makeParser(prefixesFor(xml, XSI_NS)).parse(xml));
}
