import { XMLValidator } from 'fast-xml-parser';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { Said } from '../../shared/i18n/worded';
import { faultFromDetail } from './faults';
import { localName, parseXml, type SkipElements, text, type XmlObject, type XmlValue, xsiType } from './xml';

/**
 * Reading one SOAP response: the envelope, its `returnval`, or its fault as a typed error. Apart
 * from xml.ts so that faults.ts (which reads XML values) and this (which builds faults) do not
 * import each other.
 */

// Ordinary calls answer in a few KB; a property read's pages are hundreds of KB to MB, and a
// full validation costs as much as the parse itself.
const VALIDATE_LIMIT = 64 * 1024;

function findLocal(obj: XmlObject | undefined, name: string): XmlValue | undefined {
  if (!obj) return undefined;
  for (const key of Object.keys(obj)) {
    if (key === name || (key.endsWith(`:${name}`) && localName(key) === name)) return obj[key];
  }
  return undefined;
}

/** The start of a body, quoted as sent, or "an empty body" (worded). */
function describeBody(xml: string): string | Said {
  const snippet = xml.slice(0, 200).replace(/\s+/g, ' ');
  return snippet.length ? `"${snippet}${xml.length > 200 ? '…' : ''}"` : sayClient('client.soap.emptyBody');
}

/**
 * Reads one SOAP response: returns the `returnval` of `<method>Response` (undefined when the
 * method returns nothing), or throws the fault as a typed error. `skip` passes over elements
 * the caller never reads (only in a successful answer).
 */
export function parseSoapResponse(
  xml: string,
  method: string,
  status = 200,
  skip?: SkipElements,
): XmlValue | undefined {
  checkBody(xml, method, status);
  let doc: XmlObject;
  try {
    doc = parseXml(xml, status < 400 ? skip : undefined);
  } catch (err) {
    throw notWellFormed(method, (err as Error).message);
  }
  return readEnvelope(doc, xml, method);
}

function notWellFormed(method: string, detail: string): ApiError {
  return new ApiError('protocol-error', sayClient('client.soap.notXml', { method, detail }));
}

function checkBody(xml: string, method: string, status: number): void {
  // Only the tail is checked: a regex anchored at the end would scan the whole body.
  const tail = xml.slice(-256).trimEnd();
  if (!/<\/([\w.-]+:)?Envelope>$/.test(tail)) {
    if (status >= 400 && !xml.includes('Envelope')) {
      throw new ApiError(
        'protocol-error',
        sayClient('client.soap.http', { method, status: String(status), body: describeBody(xml) }),
      );
    }
    throw new ApiError(
      'protocol-error',
      sayClient('client.soap.incomplete', { method, body: describeBody(xml) }),
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
    throw new ApiError(
      'protocol-error',
      sayClient('client.soap.noBody', { method, body: describeBody(xml) }),
    );
  }
  const fault = findLocal(body, 'Fault');
  if (fault !== undefined) throw faultFromSoap(method, fault);
  const response = body[`${method}Response`];
  if (response === undefined) {
    const got = Object.keys(body).filter((k) => !k.startsWith('@') && k !== '#');
    throw new ApiError(
      'protocol-error',
      got.length
        ? sayClient('client.soap.unexpected', { method, got: got.join(', ') })
        : sayClient('client.soap.nothing', { method }),
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
