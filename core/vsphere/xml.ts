import { parseXmlDocument, type SkipElements, XSI_NS } from './xml-core.mjs';

export type { SkipElements } from './xml-core.mjs';

/**
 * XML in and out of the vSphere SOAP API.
 *
 * Requests are written by hand (WSDL element order matters to vCenter). Responses go through
 * fast-xml-parser; attributes land under '@name', text under '#', and the XML Schema instance
 * type under '@xsi' whatever prefix the server bound to that namespace (vcsim writes
 * `XMLSchema-instance:type`, vCenter `xsi:type`).
 */

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue | undefined;
}

export interface MoRef {
  type: string;
  value: string;
}

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

// ---------------------------------------------------------------------------------------------
// Writing

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** A request value: scalars, managed object references, arrays (repeated elements) and ordered objects. */
export type SoapArg = string | number | boolean | null | undefined | MoRef | SoapObject | SoapArg[];
/**
 * Key order is the WSDL element order; `$type` writes xsi:type for polymorphic fields; `$value`
 * is the text of a typed leaf (`<value xsi:type="xsd:string">v</value>`, e.g. in extraConfig).
 */
export interface SoapObject {
  $type?: string;
  $value?: string | number | boolean;
  [key: string]: SoapArg;
}

function isMoRef(v: object): v is MoRef {
  const keys = Object.keys(v);
  return keys.length === 2 && 'type' in v && 'value' in v && typeof (v as MoRef).value === 'string';
}

export function toXml(tag: string, value: SoapArg): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value) out += toXml(tag, item);
    return out;
  }
  if (typeof value === 'string') return `<${tag}>${esc(value)}</${tag}>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `<${tag}>${value}</${tag}>`;
  if (isMoRef(value)) return `<${tag} type="${esc(value.type)}">${esc(value.value)}</${tag}>`;
  const obj = value as SoapObject;
  let inner = obj.$value === undefined ? '' : esc(String(obj.$value));
  for (const key of Object.keys(obj)) {
    if (key === '$type' || key === '$value') continue;
    inner += toXml(key, obj[key]);
  }
  const typeAttr = obj.$type ? ` xsi:type="${esc(obj.$type)}"` : '';
  return `<${tag}${typeAttr}>${inner}</${tag}>`;
}

/** The full envelope for one method call on `_this`. */
export function envelope(method: string, self: MoRef, args: Array<[string, SoapArg]>): string {
  let body = toXml('_this', self);
  for (const [name, value] of args) body += toXml(name, value);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI_NS}">` +
    `<soapenv:Body><${method} xmlns="urn:vim25">${body}</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The local part of a qualified name or xsi:type value ("xsd:int" → "int"). */
export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i === -1 ? qname : qname.slice(i + 1);
}

export function parseXml(xml: string, skip?: SkipElements): XmlObject {
  return parseXmlDocument(xml, skip);
}

// ---------------------------------------------------------------------------------------------
// Typed access helpers. Each decoder in this package knows its schema; these keep it short.

export function asArray(v: XmlValue | undefined): XmlValue[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function asObject(v: XmlValue | undefined): XmlObject {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : EMPTY;
}
const EMPTY: XmlObject = Object.freeze({}) as XmlObject;

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (_, dec: string | undefined, hex: string | undefined, name: string | undefined) =>
    dec
      ? String.fromCodePoint(Number(dec))
      : hex
        ? String.fromCodePoint(Number.parseInt(hex, 16))
        : NAMED[name!]!,
  );
}

/** The text of an element (entities decoded). */
export function text(v: XmlValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return decodeEntities(v);
  if (Array.isArray(v)) return text(v[0]);
  const t = v['#'];
  return typeof t === 'string' ? decodeEntities(t) : '';
}

/** An attribute value (entities decoded). */
export function attr(v: XmlValue | undefined, name: string): string | undefined {
  if (v === undefined || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const a = v[`@${name}`];
  return typeof a === 'string' ? decodeEntities(a) : undefined;
}

export function optText(v: XmlValue | undefined): string | null {
  return v === undefined ? null : text(v);
}

export function num(v: XmlValue | undefined, fallback = 0): number {
  if (v === undefined) return fallback;
  const n = Number(text(v));
  return Number.isFinite(n) ? n : fallback;
}

export function bool(v: XmlValue | undefined, fallback = false): boolean {
  if (v === undefined) return fallback;
  const t = text(v).trim();
  return t === 'true' || t === '1';
}

export function xsiType(v: XmlValue | undefined): string | undefined {
  const t = attr(v, 'xsi');
  return t === undefined ? undefined : localName(t);
}

export function moRef(v: XmlValue | undefined): MoRef | null {
  const type = attr(v, 'type');
  return type === undefined ? null : { type, value: text(v) };
}

/**
 * A copy of `s` that does not hold on to the response it was cut from. V8 makes a substring of
 * 13 characters or more a view into its parent, so one VM name kept from a 2 MB response keeps
 * the whole response alive; a big estate kept 50 MB of responses that way. Flattening a
 * one-character concatenation copies just the characters (and stays a string of the same value).
 */
export function detachString(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** `v` with every string in it detached (detachString); objects and arrays are changed in place. */
export function detach<T extends XmlValue | undefined>(v: T): T {
  if (typeof v === 'string') return detachString(v) as T;
  if (v === undefined) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = detach(v[i]!);
    return v;
  }
  const o = v as XmlObject;
  for (const k in o) {
    const x = o[k];
    if (x !== undefined) o[k] = detach(x);
  }
  return v;
}

/** Values of an `ArrayOfX` wrapper (`<val xsi:type="ArrayOfString"><string>…</string></val>`). */
export function arrayOf(v: XmlValue | undefined): XmlValue[] {
  const o = asObject(v);
  const out: XmlValue[] = [];
  for (const key of Object.keys(o)) {
    if (key.startsWith('@') || key === '#') continue;
    for (const item of asArray(o[key])) out.push(item);
  }
  return out;
}

/**
 * A parsed value back into a request value, keeping element order and xsi types: used to send
 * a device back with one field changed (vCenter expects the device as it knows it).
 */
export function toSoap(v: XmlValue | undefined): SoapArg {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return decodeEntities(v);
  if (Array.isArray(v)) return v.map(toSoap);
  const ref = moRef(v);
  if (ref && Object.keys(v).every((k) => k.startsWith('@') || k === '#')) return ref;
  const out: SoapObject = {};
  const t = xsiType(v);
  if (t) out.$type = XSD_TYPES.has(t) ? `xsd:${t}` : t;
  // A typed leaf keeps its text (an OptionValue's value); text beside children is whitespace.
  if (typeof v['#'] === 'string' && Object.keys(v).every((k) => k.startsWith('@') || k === '#')) {
    out.$value = decodeEntities(v['#']);
    return out;
  }
  for (const key of Object.keys(v)) {
    if (key.startsWith('@') || key === '#') continue;
    out[key] = toSoap(v[key]);
  }
  return out;
}

const NUMERIC = new Set(['int', 'long', 'short', 'byte', 'float', 'double']);
/** XML Schema built-in types: written back with the envelope's `xsd:` prefix. */
const XSD_TYPES = new Set([...NUMERIC, 'string', 'boolean', 'dateTime', 'base64Binary', 'anyURI', 'anyType']);

/**
 * Schema-less decoding for values whose shape is not known in advance: xsi-typed scalars become
 * numbers/booleans, `ArrayOf…` becomes an array, references become {type, value}. Elements that
 * repeat become arrays; a single element stays a value (typed decoders use asArray for lists).
 */
export function decodeAny(v: XmlValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(decodeAny);
  const t = xsiType(v);
  if (t?.startsWith('ArrayOf')) return arrayOf(v).map(decodeAny);
  if (
    t === 'ManagedObjectReference' ||
    (typeof v['@type'] === 'string' && Object.keys(v).every((k) => k.startsWith('@') || k === '#'))
  ) {
    return moRef(v);
  }
  if (t && NUMERIC.has(t)) return num(v);
  if (t === 'boolean') return bool(v);
  const keys = Object.keys(v).filter((k) => !k.startsWith('@'));
  if (keys.length === 1 && keys[0] === '#') return text(v);
  if (keys.length === 0) return t ? { _type: t } : '';
  const out: Record<string, unknown> = t ? { _type: t } : {};
  for (const k of keys) out[k] = decodeAny(v[k]);
  return out;
}
