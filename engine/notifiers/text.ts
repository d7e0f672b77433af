import type { Message } from './types.js';

/** The message as plain text: title, text (when it says more), since when, and the details. */
export function plainText(m: Message, opts: { title?: boolean } = {}): string {
  const lines: string[] = [];
  if (opts.title !== false) lines.push(m.title);
  if (m.text !== m.title) lines.push(m.text);
  if (m.since) lines.push(`Since: ${m.since.toISOString()}`);
  if (m.details.length) lines.push('', ...m.details);
  return lines.join('\n');
}

export const ICON: Record<Message['severity'], string> = { critical: '🔴', warning: '🟠', info: 'ℹ️', resolved: '✅' };
/** Discord embed colours for the same severities. */
export const COLOR: Record<Message['severity'], number> = {
  critical: 0xd93025,
  warning: 0xf29900,
  info: 0x1a73e8,
  resolved: 0x188038,
};
