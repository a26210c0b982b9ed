import { XMLValidator } from 'fast-xml-parser';
import { ApiError } from '../../shared/errors';
import { faultFromDetail } from './faults';
import { parseXmlOffThread } from './parse-pool';
import { parseXmlDocument, XSI_NS } from './xml-core.mjs';

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

const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

// ---------------------------------------------------------------------------------------------
// Writing

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** A request value: scalars, managed object references, arrays (repeated elements) and ordered objects. */
export type SoapArg = string | number | boolean | null | undefined | MoRef | SoapObject | SoapArg[];
/** Key order is the WSDL element order; `$type` writes xsi:type for polymorphic fields. */
export interface SoapObject {
  $type?: string;
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
  let inner = '';
  for (const key of Object.keys(obj)) {
    if (key === '$type') continue;
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

const VALIDATE_LIMIT = 1024 * 1024;

/** The local part of a qualified name or xsi:type value ("xsd:int" → "int"). */
export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i === -1 ? qname : qname.slice(i + 1);
}

export function parseXml(xml: string): XmlObject {
  return parseXmlDocument(xml);
}

function findLocal(obj: XmlObject | undefined, name: string): XmlValue | undefined {
  if (!obj) return undefined;
  for (const key of Object.keys(obj)) {
    if (key === name || (key.endsWith(`:${name}`) && localName(key) === name)) return obj[key];
  }
  return undefined;
}

function describeBody(xml: string): string {
  const snippet = xml.slice(0, 200).replace(/\s+/g, ' ');
  return snippet.length ? `"${snippet}${xml.length > 200 ? '…' : ''}"` : 'an empty body';
}

/**
 * Reads one SOAP response: returns the `returnval` of `<method>Response` (undefined when the
 * method returns nothing), or throws the fault as a typed error.
 */
export function parseSoapResponse(xml: string, method: string, status = 200): XmlValue | undefined {
  checkBody(xml, method, status);
  let doc: XmlObject;
  try {
    doc = parseXml(xml);
  } catch (err) {
    throw notWellFormed(method, (err as Error).message);
  }
  return readEnvelope(doc, xml, method);
}

/** parseSoapResponse for big bodies: the XML is parsed on a worker thread. */
export async function parseSoapResponseAsync(
  xml: string,
  method: string,
  status = 200,
): Promise<XmlValue | undefined> {
  if (xml.length < OFF_THREAD_MIN) return parseSoapResponse(xml, method, status);
  checkBody(xml, method, status);
  let doc: XmlObject;
  try {
    doc = await parseXmlOffThread(xml);
  } catch (err) {
    throw notWellFormed(method, (err as Error).message);
  }
  return readEnvelope(doc, xml, method);
}

const OFF_THREAD_MIN = 512 * 1024;

function notWellFormed(method: string, detail: string): ApiError {
  return new ApiError(
    'protocol-error',
    `${method}: the response is not well-formed XML (${detail}); retry, and check for a proxy rewriting the traffic`,
  );
}

function checkBody(xml: string, method: string, status: number): void {
  // Only the tail is checked: a regex anchored at the end would scan the whole body.
  const tail = xml.slice(-256).trimEnd();
  if (!/<\/([\w.-]+:)?Envelope>$/.test(tail)) {
    if (status >= 400 && !xml.includes('Envelope')) {
      throw new ApiError(
        'protocol-error',
        `${method}: the server answered HTTP ${status} with ${describeBody(xml)}`,
      );
    }
    throw new ApiError(
      'protocol-error',
      `${method}: the response is not a complete SOAP envelope (truncated or not SOAP): ${describeBody(xml)}. Check the URL points at the /sdk endpoint and retry.`,
    );
  }
  // The parser is lenient (it accepts a wrong closing tag); a full validation costs 40 % of a
  // parse, so only bodies of ordinary calls get it. Big property reads are checked by the
  // envelope's end above and by their decoders.
  if (xml.length <= VALIDATE_LIMIT) {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) throw notWellFormed(method, `${valid.err.msg} at line ${valid.err.line}`);
  }
}

function readEnvelope(doc: XmlObject, xml: string, method: string): XmlValue | undefined {
  const env = findLocal(doc, 'Envelope');
  const body = typeof env === 'object' && !Array.isArray(env) ? findLocal(env, 'Body') : undefined;
  if (body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('protocol-error', `${method}: the SOAP envelope has no Body: ${describeBody(xml)}`);
  }
  const fault = findLocal(body, 'Fault');
  if (fault !== undefined) throw faultFromSoap(method, fault);
  const response = body[`${method}Response`];
  if (response === undefined) {
    const got = Object.keys(body).filter((k) => !k.startsWith('@') && k !== '#');
    throw new ApiError(
      'protocol-error',
      `${method}: expected ${method}Response in the SOAP body, got ${got.length ? got.join(', ') : 'nothing'}`,
    );
  }
  if (typeof response !== 'object' || Array.isArray(response)) return undefined;
  return response.returnval;
}

function faultFromSoap(method: string, fault: XmlValue): Error {
  const f = (typeof fault === 'object' && !Array.isArray(fault) ? fault : {}) as XmlObject;
  const faultstring = text(findLocal(f, 'faultstring')).trim();
  const detail = findLocal(f, 'detail');
  let name = '';
  let detailObj: XmlObject | undefined;
  if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
    for (const key of Object.keys(detail)) {
      if (key.startsWith('@') || key === '#') continue;
      const d = detail[key];
      const obj = (typeof d === 'object' && !Array.isArray(d) ? d : {}) as XmlObject;
      name = xsiType(obj) ?? localName(key).replace(/Fault$/, '');
      detailObj = obj;
      break;
    }
  }
  return faultFromDetail(
    method,
    name || text(findLocal(f, 'faultcode')) || 'SOAPFault',
    faultstring,
    detailObj,
  );
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
 * Removes every `<tag …>…</tag>` whose xsi type is in `types`, before parsing. Used where a
 * response carries many elements the caller never reads (a VM's keyboard, video card, PCI
 * controller … in config.hardware.device); skipping them this way is far cheaper than parsing
 * them. Only for elements that cannot nest in themselves.
 */
export function dropTypedElements(xml: string, tag: string, types: ReadonlySet<string>): string {
  const open = `<${tag} `;
  const close = `</${tag}>`;
  const typeAttr = /:type\s*=\s*["']([^"']+)["']/;
  let out = '';
  let from = 0;
  let at = xml.indexOf(open);
  while (at !== -1) {
    const gt = xml.indexOf('>', at);
    if (gt === -1) break;
    const selfClosing = xml.charCodeAt(gt - 1) === 47; /* / */
    const end = selfClosing ? gt + 1 : xml.indexOf(close, gt);
    if (end === -1) break;
    const next = selfClosing ? end : end + close.length;
    const m = typeAttr.exec(xml.slice(at, gt));
    if (m && types.has(localName(m[1]!))) {
      out += xml.slice(from, at);
      from = next;
    }
    at = xml.indexOf(open, next);
  }
  return from === 0 ? xml : out + xml.slice(from);
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
  if (t) out.$type = t;
  for (const key of Object.keys(v)) {
    if (key.startsWith('@') || key === '#') continue;
    out[key] = toSoap(v[key]);
  }
  return out;
}

const NUMERIC = new Set(['int', 'long', 'short', 'byte', 'float', 'double']);

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
