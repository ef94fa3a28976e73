import { PaperboyError } from '../errors.js';

/** How a file's bytes become text: the encoding, and how many bytes of byte order mark to skip. */
export interface TextEncodingChoice {
  /** A WHATWG encoding label TextDecoder understands (`utf-8`, `utf-16le`, `windows-1252`…). */
  encoding: string;
  bomLength: number;
  /** Where the choice came from, for messages. */
  from: 'bom' | 'declaration' | 'content-type' | 'default';
}

// `<?xml version="1.0" encoding="ISO-8859-1"?>`, read from the ASCII bytes of the head.
const XML_DECLARATION = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/**
 * The encoding of a file from its first bytes: a UTF-8 or UTF-16 byte order mark, else an XML
 * declaration's `encoding`, else UTF-8 (JSON, JSON Lines and an undeclared XML file are UTF-8).
 */
export function sniffEncoding(head: Uint8Array): TextEncodingChoice {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, from: 'bom' };
  }
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', bomLength: 2, from: 'bom' };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', bomLength: 2, from: 'bom' };
  const ascii = Buffer.from(head.subarray(0, 200)).toString('latin1');
  const declared = XML_DECLARATION.exec(ascii)?.[1];
  if (declared) {
    let encoding: string;
    try {
      encoding = new TextDecoder(declared).encoding;
    } catch {
      throw new PaperboyError(
        'FEED_MALFORMED',
        `The file declares encoding="${declared}", which Paperboy cannot decode`,
      );
    }
    return { encoding, bomLength: 0, from: 'declaration' };
  }
  return { encoding: 'utf-8', bomLength: 0, from: 'default' };
}

const FILE_ADVICE =
  'Nothing was stored; save the file as UTF-8 or declare its encoding ' +
  '(<?xml version="1.0" encoding="windows-1252"?>)';

/**
 * The whole text of a file in the encoding its bytes name (see `sniffEncoding`). Bytes that are
 * not valid in that encoding are an error naming the line, never replacement characters
 * stored as if they were text.
 */
export function decodeText(bytes: Uint8Array): string {
  return decodeAs(bytes, sniffEncoding(bytes), FILE_ADVICE);
}

// `text/xml; charset="ISO-8859-1"` → ISO-8859-1.
const CHARSET_PARAMETER = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * The text of an HTTP response body in the charset its server declares: a byte order mark
 * first (the bytes cannot be read otherwise, and WHATWG's decoding lets it override the
 * header), then the Content-Type `charset`, then the XML declaration, else UTF-8 — the same
 * decoder as a file's, so `€ “ ”` in a windows-1252 feed read the same live and from a file.
 */
export function decodeResponseText(bytes: Uint8Array, contentType: string | null): string {
  const sniffed = sniffEncoding(bytes);
  const charset = contentType ? CHARSET_PARAMETER.exec(contentType)?.[1] : undefined;
  if (sniffed.from === 'bom' || !charset) {
    return decodeAs(bytes, sniffed, 'Nothing from this answer was stored');
  }
  let encoding: string;
  try {
    encoding = new TextDecoder(charset).encoding;
  } catch {
    throw new PaperboyError(
      'FEED_MALFORMED',
      `The server declares charset=${charset}, which Paperboy cannot decode; nothing from this answer was stored`,
    );
  }
  return decodeAs(
    bytes,
    { encoding, bomLength: 0, from: 'content-type' },
    'Nothing from this answer was stored',
  );
}

function decodeAs(bytes: Uint8Array, choice: TextEncodingChoice, advice: string): string {
  const body = bytes.subarray(choice.bomLength);
  let text: string;
  try {
    text = new TextDecoder(choice.encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw undecodable(body, choice, advice);
  }
  return choice.encoding === 'windows-1252' ? windows1252Fixed(text) : text;
}

// WHATWG's windows-1252 (also what `ISO-8859-1` and `US-ASCII` labels mean) at bytes
// 0x80–0x9F; a space where the encoding leaves the byte undefined (it stays a C1 control).
const WINDOWS_1252_HIGH = '€ ‚ƒ„…†‡ˆ‰Š‹Œ Ž  ‘’“”•–—˜™š›œ žŸ';

/**
 * Node 20's TextDecoder reads windows-1252 as Latin-1: bytes 0x80–0x9F come out as C1 controls
 * (U+0080–U+009F) instead of `€ “ ” —`. Mapped here, so the text is the same on any Node.
 */
function windows1252Fixed(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => {
    const mapped = WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80];
    return mapped && mapped !== ' ' ? mapped : c;
  });
}

/** Whether a line's bytes are valid UTF-8 (checked only when decoding produced U+FFFD). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    UTF8_FATAL.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });

/** Where the first bad bytes are: the line, and for UTF-8 the byte and its column. */
export function badBytesAt(
  bytes: Uint8Array,
  encoding = 'utf-8',
): { line: number; detail: string } {
  if (encoding === 'utf-8') {
    const at = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
    return {
      line: countLines(bytes, at),
      detail: `byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')} at byte ${at - lineStart + 1} of the line`,
    };
  }
  // Other encodings: the first line that does not decode (UTF-16 is not cut at 0x0A bytes).
  const decoder = new TextDecoder(encoding, { fatal: true });
  if (encoding.startsWith('utf-16')) return { line: 1, detail: 'a broken surrogate pair' };
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
    } catch {
      return { line, detail: `bytes with no meaning in ${encoding}` };
    }
    if (end === -1) return { line, detail: 'bytes that do not decode' };
    start = end + 1;
  }
}

function countLines(bytes: Uint8Array, before: number): number {
  let lines = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < before; i = bytes.indexOf(0x0a, i + 1)) lines++;
  return lines;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const size =
      b < 0x80
        ? 1
        : b >= 0xc2 && b <= 0xdf
          ? 2
          : b >= 0xe0 && b <= 0xef
            ? 3
            : b >= 0xf0 && b <= 0xf4
              ? 4
              : 0;
    if (size === 0) return i;
    for (let k = 1; k < size; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong and surrogate forms are invalid too; let the decoder judge the whole sequence.
    if (size > 1 && !isValidUtf8(bytes.subarray(i, i + size))) return i;
    i += size;
  }
  return bytes.length;
}

const CHOSEN_FROM = {
  bom: 'byte order mark',
  declaration: 'XML declaration',
  'content-type': 'Content-Type charset',
} as const;

function undecodable(body: Uint8Array, choice: TextEncodingChoice, advice: string): PaperboyError {
  const { line, detail } = badBytesAt(body, choice.encoding);
  const named =
    choice.from === 'default'
      ? 'UTF-8 (it declares no other encoding)'
      : `${choice.encoding} (from its ${CHOSEN_FROM[choice.from]})`;
  return new PaperboyError(
    'FEED_MALFORMED',
    `line ${line} is not valid ${named}: ${detail}. ${advice}`,
  );
}
