// A parse worker: XML in, the object tree out as JSON (a string crosses threads far faster
// than a structured clone of the tree, and JSON.parse on the other side is cheap).
import { parentPort } from 'node:worker_threads';
import { parseXmlDocument } from './xml-core.mjs';

parentPort.on('message', ({ id, xml }) => {
  try {
    parentPort.postMessage({ id, json: JSON.stringify(parseXmlDocument(xml)) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
