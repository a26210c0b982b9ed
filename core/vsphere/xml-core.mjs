// The XML-to-object step of the SOAP parser. Types: xml-core.d.mts.

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const NS_DECL = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g;

/** Prefixes bound anywhere in the document to the given namespace URI. */
export function prefixesFor(xml, uri) {
  const out = new Set();
  // Declarations sit on the envelope (vCenter) or on each typed element (vcsim): scan them all.
  // vcsim repeats the same declaration on thousands of elements: one seen already is passed
  // over by comparing its text, not by the expression.
  let last = '';
  let at = xml.indexOf('xmlns:');
  while (at !== -1) {
    if (last === '' || !xml.startsWith(last, at)) {
      NS_DECL.lastIndex = at;
      const m = NS_DECL.exec(xml);
      if (m && m.index === at) {
        last = m[0];
        if (m[2] === uri) out.add(m[1]);
      }
    }
    at = xml.indexOf('xmlns:', at + 6);
  }
  return out;
}

// A SOAP response is parsed by the small scanner below rather than by fast-xml-parser: it builds
// the plain-object tree in one pass (no intermediate ordered tree to convert, no per-node
// callbacks), which made a big property read several times cheaper in CPU and garbage. It reads
// what vSphere sends: elements, attributes, text, CDATA, comments, the XML declaration; a
// DOCTYPE is skipped (no entity is ever expanded). Entities stay encoded: text() and attr() in
// xml.ts decode them once, lazily. Well-formedness of ordinary bodies is checked in soap.ts.

const WS = /^[ \t\r\n]*$/;

class XmlSyntaxError extends Error {}

function fail(xml, at, what) {
  const line = xml.slice(0, at).split('\n').length;
  throw new XmlSyntaxError(`${what} at line ${line}`);
}

function isSpace(c) {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isNameEnd(c) {
  // space, tab, CR, LF, '>', '/'
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 62 || c === 47;
}

function addChild(frame, tag, value) {
  if (frame.obj === null) {
    frame.obj = {};
    // Text before the first child is kept only when it says something.
    if (frame.text !== null && WS.test(frame.text)) frame.text = null;
  }
  const prev = frame.obj[tag];
  if (prev === undefined) frame.obj[tag] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else frame.obj[tag] = [prev, value];
}

function build(frame) {
  if (frame.obj === null) {
    const text = frame.text ?? '';
    if (frame.attrs === null) return text;
    if (text !== '') frame.attrs['#'] = text;
    return frame.attrs;
  }
  const obj = frame.obj;
  if (frame.attrs !== null) for (const a in frame.attrs) obj[a] = frame.attrs[a];
  if (frame.text !== null && !WS.test(frame.text)) obj['#'] = frame.text;
  return obj;
}

/**
 * The tree as plain objects: repeated elements become arrays, attributes ('@name', the XML
 * Schema instance type as '@xsi' whatever its prefix; xmlns declarations dropped) and text ('#')
 * sit beside the children; an element with neither children nor attributes is its text.
 */
export function parseXmlDocument(xml, skip) {
  const xsiNames = new Set([...prefixesFor(xml, XSI_NS)].map((p) => `${p}:type`));
  const root = { tag: '', attrs: null, obj: null, text: null };
  const stack = [root];
  let top = root;
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) break; // trailing text after the root element: ignored
    if (lt > i) {
      // Whitespace between child elements is layout, not content.
      const t = xml.slice(i, lt);
      if (top.obj === null || !WS.test(t)) top.text = top.text === null ? t : top.text + t;
    }
    const c = xml.charCodeAt(lt + 1);
    if (c === 47 /* / */) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt === -1) fail(xml, lt, 'unterminated closing tag');
      const after = lt + 2 + top.tag.length;
      if (
        top === root ||
        !xml.startsWith(top.tag, lt + 2) ||
        // `</tag>` nearly always; `</tag  >` is allowed too.
        (gt !== after && !WS.test(xml.slice(after, gt)))
      ) {
        fail(xml, lt, `closing tag ${xml.slice(lt + 2, gt)} does not match ${top.tag || 'anything'}`);
      }
      const done = top;
      stack.pop();
      top = stack[stack.length - 1];
      addChild(top, done.tag, build(done));
      i = gt + 1;
      continue;
    }
    if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) fail(xml, lt, 'unterminated comment');
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) fail(xml, lt, 'unterminated CDATA section');
        // Kept as escaped text so that text() decodes it to exactly what the section held.
        const t = xml
          .slice(lt + 9, end)
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;');
        top.text = top.text === null ? t : top.text + t;
        i = end + 3;
      } else {
        // DOCTYPE: skipped with its internal subset; nothing it declares is used.
        const bracket = xml.indexOf('[', lt);
        const gt = xml.indexOf('>', lt);
        const end = bracket !== -1 && bracket < gt ? xml.indexOf(']>', bracket) + 1 : gt;
        if (end <= 0) fail(xml, lt, 'unterminated declaration');
        i = end + 1;
      }
      continue;
    }
    if (c === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) fail(xml, lt, 'unterminated processing instruction');
      i = end + 2;
      continue;
    }
    // An opening tag.
    let j = lt + 1;
    while (j < n && !isNameEnd(xml.charCodeAt(j))) j++;
    const tag = xml.slice(lt + 1, j);
    if (tag === '') fail(xml, lt, 'an element without a name');
    let attrs = null;
    let selfClosing = false;
    for (;;) {
      let ch = xml.charCodeAt(j);
      while (ch === 32 || ch === 9 || ch === 10 || ch === 13) ch = xml.charCodeAt(++j);
      if (ch === 62 /* > */) {
        j++;
        break;
      }
      if (ch === 47 /* / */ && xml.charCodeAt(j + 1) === 62) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (j >= n) fail(xml, lt, `unterminated tag ${tag}`);
      const eq = xml.indexOf('=', j);
      if (eq === -1) fail(xml, j, `attribute without a value in ${tag}`);
      let q = eq + 1;
      while (xml.charCodeAt(q) === 32) q++;
      const quote = xml.charCodeAt(q);
      if (quote !== 34 && quote !== 39) fail(xml, q, `unquoted attribute ${xml.slice(j, eq)} in ${tag}`);
      const end = xml.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (end === -1) fail(xml, q, `unterminated attribute ${xml.slice(j, eq)} in ${tag}`);
      // Namespace declarations (one on every typed element from vcsim) are passed over unread.
      if (!xml.startsWith('xmlns', j)) {
        let ne = eq;
        while (ne > j && isSpace(xml.charCodeAt(ne - 1))) ne--;
        const name = xml.slice(j, ne);
        attrs ??= {};
        attrs[xsiNames.has(name) ? '@xsi' : `@${name}`] = xml.slice(q + 1, end);
      }
      j = end + 1;
    }
    if (skip !== undefined && tag === skip.tag && attrs?.['@xsi'] !== undefined) {
      const t = attrs['@xsi'];
      if (skip.types.has(t.slice(t.indexOf(':') + 1))) {
        // Skipped unread: the elements skipped never nest in themselves (see SkipElements).
        if (!selfClosing) {
          const close = xml.indexOf(`</${tag}>`, j);
          if (close === -1) fail(xml, lt, `element ${tag} is not closed`);
          j = close + tag.length + 3;
        }
        i = j;
        continue;
      }
    }
    if (selfClosing) addChild(top, tag, attrs ?? '');
    else {
      top = { tag, attrs, obj: null, text: null };
      stack.push(top);
    }
    i = j;
  }
  if (top !== root) fail(xml, n, `element ${top.tag} is not closed`);
  return root.obj ?? {};
}
