import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PaperboyError } from '../errors.js';

export type XmlNode = Record<string, unknown>;

/**
 * Parses a whole XML document, or throws FEED_MALFORMED naming the line of the first error.
 * Tag values stay strings (an id like `2410.10000` must not become a number); elements that
 * may repeat are always arrays so one entry and many read the same way. Names are read by
 * namespace URI (see `byNamespace`), so `<a:announce_type>` bound to arXiv's namespace reads as
 * `arxiv:announce_type`.
 */
export function parseXml(
  text: string,
  feedName: string,
  repeated: readonly string[],
  home: readonly string[] = [],
): XmlNode {
  if (!/^\uFEFF?\s*</.test(text)) {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      `Expected an ${feedName} (XML), but the input is not XML`,
    );
  }
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line } = verdict.err;
    const open = unclosedAtEnd(msg);
    if (open) throw cutOff(text, feedName, open, repeated);
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
    // By local name: the prefix is only known to mean something once namespaces are read.
    isArray: (name) => repeated.includes(name.slice(name.indexOf(':') + 1)),
  });
  return byNamespace(parser.parse(text), new Map(), home) as XmlNode;
}

/** The elements still open when the text ended, as fast-xml-parser's validator names them. */
function unclosedAtEnd(message: string): string[] | null {
  const list = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(message)?.[1];
  if (!list) return null;
  try {
    const names = JSON.parse(list) as unknown;
    return Array.isArray(names) && names.length > 0 ? names.map(String) : null;
  } catch {
    return null;
  }
}

/**
 * A file that ends inside elements: cut off (an interrupted download or copy). Said as such,
 * naming the innermost element, the last line and where the unfinished item began. A feed is
 * parsed whole, so nothing of it is stored; the message says so.
 */
function cutOff(text: string, feedName: string, open: string[], repeated: readonly string[]) {
  const lastLine = text.replace(/\r?\n$/, '').split('\n').length;
  const innermost = open.at(-1) as string;
  const item = open.find((name) => repeated.includes(name.slice(name.indexOf(':') + 1)));
  let inside = '';
  if (item) {
    const at = lastOpening(text, item);
    const opened = at < 0 ? '' : ` opened at line ${text.slice(0, at).split('\n').length}`;
    inside = item === innermost ? opened : `, inside <${item}>${opened}`;
  }
  return new PaperboyError(
    'FEED_MALFORMED',
    `The ${feedName} ends in the middle of <${innermost}> (line ${lastLine}, the last)${inside}: ` +
      'the file looks cut off. Nothing was stored: a feed file is read whole or not at all',
  );
}

function lastOpening(text: string, name: string): number {
  for (let at = text.lastIndexOf(`<${name}`); at >= 0; at = text.lastIndexOf(`<${name}`, at - 1)) {
    if (/[\s>/]/.test(text[at + name.length + 1] ?? '')) return at;
  }
  return -1;
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

/** Namespaces the feeds use, by URI, with the prefix the parsers read them under. */
export const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  arxiv: 'http://arxiv.org/schemas/atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss1: 'http://purl.org/rss/1.0/',
  opensearch: 'http://a9.com/-/spec/opensearch/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
} as const;

const PREFIX_OF_URI: ReadonlyMap<string, string> = new Map(
  Object.entries(NAMESPACES).map(([prefix, uri]) => [uri, prefix]),
);

type Scope = ReadonlyMap<string, string>;

/**
 * Renames elements and attributes by their namespace URI, not the prefix the document
 * happened to bind (`xmlns:a="http://arxiv.org/schemas/atom"` → `arxiv:`): elements of a
 * `home` namespace (Atom for an Atom feed, RSS 1.0 for RDF) and of no namespace lose their
 * prefix; other known namespaces get the usual one; unknown ones stay as written.
 */
function byNamespace(node: unknown, scope: Scope, home: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => byNamespace(item, scope, home));
  if (!node || typeof node !== 'object') return node;
  const own = withDeclarations(node as XmlNode, scope);
  const out: XmlNode = {};
  for (const [key, value] of Object.entries(node as XmlNode)) {
    if (key.startsWith('@_')) {
      // An unprefixed attribute is in no namespace; a prefixed one is renamed like an element.
      const name = key.slice(2);
      out[
        name.includes(':') && !name.startsWith('xmlns')
          ? `@_${canonical(name, own, home, false)}`
          : key
      ] = value;
    } else if (key.startsWith('#') || key.startsWith('?')) {
      out[key] = value;
    } else {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        // An element's own declarations apply to its own name.
        const itemScope = withDeclarations(item, own);
        const name = canonical(key, itemScope, home, true);
        const converted = byNamespace(item, own, home);
        const before = out[name];
        if (before === undefined) out[name] = Array.isArray(value) ? [converted] : converted;
        else out[name] = Array.isArray(before) ? [...before, converted] : [before, converted];
      }
    }
  }
  return out;
}

function withDeclarations(node: unknown, scope: Scope): Scope {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return scope;
  let next: Map<string, string> | null = null;
  for (const [key, value] of Object.entries(node as XmlNode)) {
    if (key !== '@_xmlns' && !key.startsWith('@_xmlns:')) continue;
    next ??= new Map(scope);
    next.set(key === '@_xmlns' ? '' : key.slice('@_xmlns:'.length), String(value));
  }
  return next ?? scope;
}

function canonical(name: string, scope: Scope, home: readonly string[], element: boolean): string {
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const local = colon < 0 ? name : name.slice(colon + 1);
  // Attributes without a prefix are in no namespace, whatever the default.
  const uri = prefix === '' && !element ? undefined : scope.get(prefix);
  if (uri === undefined || uri === '') return name;
  if (home.includes(uri)) return local;
  const known = PREFIX_OF_URI.get(uri);
  if (known) return `${known}:${local}`;
  // Another namespace under a prefix the parsers read (`xmlns:arxiv="…elsewhere"`) must not
  // pass for that one: named by its URI instead (Clark notation).
  return [...PREFIX_OF_URI.values()].includes(prefix) ? `{${uri}}${local}` : name;
}
