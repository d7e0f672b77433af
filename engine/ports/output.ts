/**
 * Something text can be written to: a terminal stream (process.stdout), or a buffer in tests.
 * The CLI writes to it; adapters wrap it (scrubbed-output.ts masks secrets on the way through).
 */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}
