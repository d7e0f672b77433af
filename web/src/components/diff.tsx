import { Table } from './table.js';
import { Status } from './ui.js';
import { graphql, type ResultOf } from '../graphql.js';

/** What the plan diff shows of a plan: its changes, field by field. */
export const PlanChanges = graphql(
  'fragment PlanChanges on Plan { changes { action kind name reason file line diffs { path before after sensitive } } }',
);
export type PlanChange = ResultOf<typeof PlanChanges>['changes'][number];

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
            <Table
              class="diff"
              caption={`Field changes of ${c.name}`}
              rows={c.diffs}
              rowKey={(d) => d.path}
              columns={[
                {
                  header: 'field',
                  rowHeader: true,
                  cell: (d) => (
                    <>
                      {d.path}
                      {d.sensitive && <span class="muted"> (sensitive, changed)</span>}
                    </>
                  ),
                },
                { header: 'before', class: 'before', cell: (d) => <del>{show(d.before)}</del> },
                { header: 'after', class: 'after', cell: (d) => <ins>{show(d.after)}</ins> },
              ]}
            />
          )}
        </div>
      ))}
    </div>
  );
}

/** What the results table shows of each change an apply made. */
export const ResultFields = graphql('fragment ResultFields on ChangeResult { kind name action status message durationMs }');
export type ChangeResult = ResultOf<typeof ResultFields>;

/** What an apply did to each resource; a muted line when it changed nothing. */
export function Results({ results }: { results: ChangeResult[] }) {
  if (results.length === 0) return <p class="muted">No changes were applied.</p>;
  return (
    <Table
      caption="Results of each change"
      rows={results}
      rowKey={(r) => `${r.kind}/${r.name}`}
      columns={[
        {
          header: 'resource',
          cell: (r) => (
            <>
              {r.kind}/{r.name}
            </>
          ),
        },
        { header: 'action', cell: (r) => r.action },
        { header: 'result', cell: (r) => <Status value={r.status} /> },
        { header: 'message', cell: (r) => r.message ?? '' },
      ]}
    />
  );
}
