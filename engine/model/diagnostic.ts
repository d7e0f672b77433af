import type { ResourceKey } from './resource.js';
import type { SourcePos } from './source-pos.js';

/** What kind of problem a diagnostic reports; stable, so tests and tools can match on it. */
export type DiagnosticCode =
  | 'yaml-syntax'
  | 'yaml-duplicate-key'
  | 'yaml-alias-limit'
  | 'yaml-too-deep'
  | 'file-too-large'
  | 'file-binary'
  | 'file-unreadable'
  | 'path-escape'
  | 'not-a-resource'
  | 'unknown-kind'
  | 'unknown-field'
  | 'invalid-field'
  | 'missing-field'
  | 'invalid-name'
  | 'duplicate-name'
  | 'unknown-reference'
  | 'dependency-cycle'
  | 'port-conflict'
  | 'route-conflict'
  | 'replicas-fixed-port'
  | 'invalid-schedule'
  | 'invalid-timezone'
  | 'invalid-duration'
  | 'invalid-condition'
  | 'invalid-interpolation'
  | 'missing-env'
  | 'env-not-allowed'
  | 'missing-secret'
  | 'unknown-event'
  | 'no-proxy'
  | 'config';

/** A problem in the user's config, reported with where it is. Never thrown. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  /** A sentence a person understands, with the fix when it is known. */
  message: string;
  /** Path relative to the source root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  resource?: ResourceKey;
}

export function error(code: DiagnosticCode, message: string, at: SourcePos, resource?: ResourceKey): Diagnostic {
  return { severity: 'error', code, message, file: at.file, line: at.line, column: at.column, resource };
}

export function warning(code: DiagnosticCode, message: string, at: SourcePos, resource?: ResourceKey): Diagnostic {
  return { severity: 'warning', code, message, file: at.file, line: at.line, column: at.column, resource };
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** Stable order for output: by file, then position, then message. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
}

/** A diagnostic as FORMAT.md's JSON shapes print it (no internal fields). */
export const publicDiagnostic = ({ severity, code, message, file, line, column }: Diagnostic) => ({
  severity,
  code,
  message,
  file,
  line,
  column,
});
