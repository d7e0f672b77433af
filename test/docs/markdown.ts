import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The project's root folder. */
export const ROOT = join(import.meta.dirname, '../..');

/** Every Markdown file of docs/, and README.md, sorted. */
export function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
    );
  return [...walk(join(ROOT, 'docs')), join(ROOT, 'README.md')].sort();
}

/** A fenced code block of a Markdown file. */
export interface Block {
  /** 1-based line of the block's first content line in its Markdown file. */
  line: number;
  info: string;
  text: string;
}

/** The fenced code blocks of a Markdown text. */
export function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[j]); j++) body.push(lines[j]);
    blocks.push({ line: i + 2, info: info.trim(), text: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

/** The first non-blank line of a block, trimmed. */
export const firstLine = (b: Block) =>
  b.text
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim() ?? '';
