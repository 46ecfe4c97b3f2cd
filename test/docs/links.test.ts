/**
 * The README and the guides hold together: every relative link in README.md, docs/*.md and
 * bench/README.md leads to a file of the repository, and every `#anchor` to a heading of the
 * file it names (GitHub's heading ids, computed by github-slugger as GitHub does). The
 * README stays a newcomer's page (at most 150 lines) and reaches every guide.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const DOCUMENTS = [
  'README.md',
  'bench/README.md',
  ...readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text a reader sees in inline tokens: what GitHub derives a heading's id from. */
function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens);
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}

/** Every link of a Markdown file (code blocks excluded), with the headings' ids. */
function parse(file: string): { hrefs: string[]; anchors: Set<string> } {
  const tokens = marked.lexer(readFileSync(join(ROOT, file), 'utf8'));
  const slugger = new GithubSlugger();
  const hrefs: string[] = [];
  const anchors = new Set<string>();
  void marked.walkTokens(tokens, (token) => {
    if (token.type === 'link') hrefs.push((token as Tokens.Link).href);
    if (token.type === 'heading') anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
  });
  return { hrefs, anchors };
}

const parsed = new Map(DOCUMENTS.map((file) => [file, parse(file)]));

/** `null` when `href` (in `from`) resolves, else what is wrong with it. */
function brokenLink(from: string, href: string): string | null {
  const [path = '', anchor] = href.split('#', 2);
  const target = path === '' ? join(ROOT, from) : resolve(ROOT, dirname(from), decodeURIComponent(path));
  const name = relative(ROOT, target);
  if (name.startsWith('..')) return `${href} leaves the repository`;
  if (!existsSync(target)) return `${href}: no file ${name}`;
  if (anchor === undefined) return null;
  if (!statSync(target).isFile() || !name.endsWith('.md')) return `${href}: #${anchor} in a file that is not Markdown`;
  const anchors = parsed.get(name)?.anchors ?? parse(name).anchors;
  return anchors.has(anchor) ? null : `${href}: ${name} has no heading #${anchor}`;
}

describe('links in README.md and the guides', () => {
  it('finds the documents and their links', () => {
    expect(DOCUMENTS).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/webhooks.md']));
    expect(parsed.get('README.md')!.hrefs).toContain('docs/walkthrough.md');
    expect(parsed.get('docs/scaling-out.md')!.anchors).toContain(
      'when-redis-is-unreachable-fail-open-to-per-instance-limits',
    );
  });

  it.each(DOCUMENTS)('every relative link of %s resolves', (file) => {
    const relativeLinks = parsed.get(file)!.hrefs.filter((href) => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href));
    const broken = relativeLinks.map((href) => brokenLink(file, href)).filter((problem) => problem !== null);
    expect(broken).toEqual([]);
  });

  it('tells a broken file and a broken anchor apart', () => {
    expect(brokenLink('README.md', 'docs/nowhere.md')).toBe('docs/nowhere.md: no file docs/nowhere.md');
    expect(brokenLink('docs/README.md', 'webhooks.md#nowhere')).toBe(
      'webhooks.md#nowhere: docs/webhooks.md has no heading #nowhere',
    );
    expect(brokenLink('docs/README.md', '../../outside.md')).toBe('../../outside.md leaves the repository');
    expect(brokenLink('docs/README.md', 'webhooks.md#verifying-a-signature')).toBeNull();
  });
});

describe('the README', () => {
  it("is a newcomer's page: at most 150 lines", () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(150);
  });

  it('links every guide in docs/, and so does the index', () => {
    const guides = DOCUMENTS.filter((file) => file.startsWith('docs/') && file !== 'docs/README.md');
    const fromReadme = new Set(parsed.get('README.md')!.hrefs.map((href) => href.split('#')[0]));
    const fromIndex = new Set(parsed.get('docs/README.md')!.hrefs.map((href) => `docs/${href.split('#')[0]}`));
    expect(guides.filter((guide) => !fromReadme.has(guide))).toEqual([]);
    expect(guides.filter((guide) => !fromIndex.has(guide))).toEqual([]);
    expect(fromReadme).toContain('docs/README.md');
    expect(fromReadme).toContain('bench/README.md');
  });
});
