import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arxivLinks,
  cleanText,
  normaliseArxivId,
  normaliseTitle,
  paperIdOf,
  parseArxivId,
  titleHashId,
} from '../../src/core/paper.js';

describe('parseArxivId', () => {
  it.each([
    ['2410.12345', '2410.12345', null],
    ['2410.12345v2', '2410.12345', 2],
    ['0704.0001', '0704.0001', null],
    ['arXiv:2410.12345', '2410.12345', null],
    ['ARXIV: 2410.12345v4', '2410.12345', 4],
    ['  2410.07524\n', '2410.07524', null],
    ['oai:arXiv.org:2410.12345v1', '2410.12345', 1],
    ['https://arxiv.org/abs/2410.12345v3', '2410.12345', 3],
    ['http://arxiv.org/abs/2410.12345v2', '2410.12345', 2],
    ['https://arxiv.org/pdf/2410.12345', '2410.12345', null],
    ['https://arxiv.org/pdf/2410.12345v2.pdf', '2410.12345', 2],
    ['https://arxiv.org/html/2410.12345v1', '2410.12345', 1],
    ['https://www.arxiv.org/abs/2410.12345/', '2410.12345', null],
    ['http://export.arxiv.org/abs/2410.12345?context=cs', '2410.12345', null],
    ['arxiv.org/abs/2410.12345', '2410.12345', null],
    ['https://huggingface.co/papers/2410.12345', '2410.12345', null],
    ['https://huggingface.co/papers/2410.12345#community', '2410.12345', null],
    ['https://hf.co/papers/2410.12345', '2410.12345', null],
    ['cs/0112017', 'cs/0112017', null],
    ['cs/0112017v3', 'cs/0112017', 3],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['math.GT/0309136', 'math.GT/0309136', null],
    ['arXiv:cs/0112017', 'cs/0112017', null],
    ['oai:arXiv.org:cs/0112017v1', 'cs/0112017', 1],
    ['https://arxiv.org/abs/cs/0112017v1', 'cs/0112017', 1],
    ['http://arxiv.org/pdf/cs/0112017v1', 'cs/0112017', 1],
  ])('reads %j', (text, id, version) => {
    expect(parseArxivId(text)).toEqual({ id, version });
    expect(normaliseArxivId(text)).toBe(id);
  });

  it.each([
    '',
    'hello',
    '2410.123',
    '2410.123456',
    '24100.12345',
    'arXiv:',
    '10.1234/bandits.2024.0042',
    'https://example.org/abs/2410.12345',
    'https://arxiv.org/list/cs.RO/new',
    'http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345678',
    'cs/011201',
  ])('rejects %j', (text) => {
    expect(parseArxivId(text)).toBeNull();
    expect(normaliseArxivId(text)).toBeNull();
  });
});

describe('cleanText', () => {
  it('collapses line breaks, tabs and runs of spaces, and trims', () => {
    expect(cleanText('  Agent Skill Acquisition via\n  CycleQD\t(v2)\r\n ')).toBe(
      'Agent Skill Acquisition via CycleQD (v2)',
    );
    expect(cleanText('non\u00a0breaking\u2003space')).toBe('non breaking space');
    expect(cleanText('Adapt-$\\infty$:  keeps  LaTeX')).toBe('Adapt-$\\infty$: keeps LaTeX');
    expect(cleanText('\n\n')).toBe('');
  });

  it('gives the same result as collapsing every whitespace run', () => {
    const pieces = fc.constantFrom(' ', '  ', '\n', '\t', '\r\n', '\u00a0', 'a', 'Ψ', '$x$', '.');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(cleanText(text)).toBe(text.replace(/\s+/g, ' ').trim());
      }),
    );
  });
});

describe('normaliseTitle and the title-hash id rule', () => {
  const pageTitle = 'Agent Skill Acquisition for Large Language Models via CycleQD';

  it('ignores case, accents, punctuation and line breaks', () => {
    expect(
      normaliseTitle('Agent Skill Acquisition for Large Language Models via\n  CycleQD.'),
    ).toBe(normaliseTitle(pageTitle));
    expect(normaliseTitle('Müller-Type  Bandits: A Note')).toBe('muller type bandits a note');
    expect(normaliseTitle('PATIENT-Ψ')).toBe('patient ψ');
    expect(normaliseTitle('Adapt-$\\infty$')).toBe('adapt infty');
    // ASCII titles take a shorter way to the same key: every ASCII character is a letter or
    // digit kept (lowercased) or a separator.
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('');
    expect(normaliseTitle(`Tab\there_x ${ascii}`)).toBe(
      'tab here x 0123456789 abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz',
    );
    expect(normaliseTitle(`${ascii} é`)).toBe(
      '0123456789 abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz e',
    );
  });

  it('hashes the normalised title into a stable id', () => {
    // Stored ids depend on this rule: a change would orphan every title-only paper.
    expect(titleHashId(pageTitle)).toBe('t:e70ec7ebfbf1d542');
    expect(titleHashId(`  ${pageTitle.toUpperCase()}\n`)).toBe('t:e70ec7ebfbf1d542');
    expect(titleHashId('Another Paper')).toMatch(/^t:[0-9a-f]{16}$/);
    expect(titleHashId('Another Paper')).not.toBe(titleHashId(pageTitle));
  });

  it('stores a paper under its arXiv id when known, else under its title hash', () => {
    expect(paperIdOf({ arxivId: '2410.14735', title: pageTitle })).toBe('2410.14735');
    expect(paperIdOf({ arxivId: null, title: pageTitle })).toBe(titleHashId(pageTitle));
  });
});

describe('arxivLinks', () => {
  it('builds version-free abs and pdf links, old-style ids included', () => {
    expect(arxivLinks('2410.14735')).toEqual({
      arxivAbs: 'https://arxiv.org/abs/2410.14735',
      arxivPdf: 'https://arxiv.org/pdf/2410.14735',
    });
    expect(arxivLinks('cs/0112017').arxivAbs).toBe('https://arxiv.org/abs/cs/0112017');
  });
});
