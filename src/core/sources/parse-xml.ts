import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PaperboyError } from '../errors.js';

export type XmlNode = Record<string, unknown>;

/**
 * Parses a whole XML document, or throws FEED_MALFORMED naming the line of the first error.
 * Tag values stay strings (an id like `2410.10000` must not become a number); elements that
 * may repeat are always arrays so one entry and many read the same way.
 */
export function parseXml(text: string, feedName: string, repeated: readonly string[]): XmlNode {
  if (!/^\uFEFF?\s*</.test(text)) {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      `Expected an ${feedName} (XML), but the input is not XML`,
    );
  }
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line } = verdict.err;
    throw new PaperboyError(
      'FEED_MALFORMED',
      `The ${feedName} is not well-formed XML (line ${line}): ${msg}`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => repeated.includes(name),
  });
  return parser.parse(text) as XmlNode;
}

/** The text of an element, whether it came as a plain string or with attributes. */
export function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (node && typeof node === 'object' && '#text' in node)
    return textOf((node as XmlNode)['#text']);
  return '';
}

/** An attribute value, or '' when absent. */
export function attributeOf(node: unknown, name: string): string {
  if (!node || typeof node !== 'object') return '';
  const value = (node as XmlNode)[`@_${name}`];
  return typeof value === 'string' ? value : '';
}

/** The element as an object (elements with only text come back as strings). */
export function asNode(node: unknown): XmlNode | null {
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as XmlNode) : null;
}

/** An element that may be absent, single or repeated, as a list. */
export function listOf(node: unknown): unknown[] {
  if (node === undefined || node === null || node === '') return [];
  return Array.isArray(node) ? node : [node];
}
