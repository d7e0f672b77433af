import { Status } from './ui.js';

export interface FieldDiff {
  path: string;
  before: unknown;
  after: unknown;
  sensitive: boolean;
}
export interface PlanChange {
  action: string;
  kind: string;
  name: string;
  reason: string | null;
  file: string | null;
  line: number | null;
  diffs: FieldDiff[];
}

const show = (v: unknown) => (v === undefined || v === null ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
const SIGN: Record<string, string> = { create: '+', delete: '-', update: '~', replace: '-/+' };

/** A plan's changes rendered as a diff, Terraform-style: one block per resource, one line per field. */
export function PlanDiff({ changes }: { changes: PlanChange[] }) {
  if (changes.length === 0) return <p class="muted">No changes.</p>;
  return (
    <div class="plan">
      {changes.map((c) => (
        <div class={`change ${c.action}`} key={`${c.kind}/${c.name}`}>
          <h4>
            <span class="sign" aria-hidden="true">
              {SIGN[c.action] ?? '?'}
            </span>{' '}
            <span class="action">{c.action}</span> {c.kind}/{c.name}
            {c.file && (
              <span class="muted">
                {' '}
                ({c.file}
                {c.line ? `:${c.line}` : ''})
              </span>
            )}
          </h4>
          {c.reason && <p class="muted">{c.reason}</p>}
          {c.diffs.length > 0 && (
            <table class="diff">
              <caption class="sr-only">Field changes of {c.name}</caption>
              <thead>
                <tr>
                  <th scope="col">field</th>
                  <th scope="col">before</th>
                  <th scope="col">after</th>
                </tr>
              </thead>
              <tbody>
                {c.diffs.map((d) => (
                  <tr key={d.path}>
                    <th scope="row">
                      {d.path}
                      {d.sensitive && <span class="muted"> (sensitive, changed)</span>}
                    </th>
                    <td class="before">
                      <del>{show(d.before)}</del>
                    </td>
                    <td class="after">
                      <ins>{show(d.after)}</ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}

export interface ChangeResult {
  kind: string;
  name: string;
  action: string;
  status: string;
  message: string | null;
  durationMs: number;
}

export function Results({ results }: { results: ChangeResult[] }) {
  if (results.length === 0) return <p class="muted">No changes were applied.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">resource</th>
          <th scope="col">action</th>
          <th scope="col">result</th>
          <th scope="col">message</th>
        </tr>
      </thead>
      <tbody>
        {results.map((r) => (
          <tr key={`${r.kind}/${r.name}`}>
            <td>
              {r.kind}/{r.name}
            </td>
            <td>{r.action}</td>
            <td>
              <Status value={r.status} />
            </td>
            <td>{r.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
