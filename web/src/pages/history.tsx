import { PlanChanges, PlanDiff, ResultFields, Results } from '../components/diff.js';
import { Table } from '../components/table.js';
import { Json, Page, Section, Status, Time } from '../components/ui.js';
import { duration } from '../format.js';
import { graphql } from '../graphql.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';

// Relay node ids are base64 of `Type:key`; the UI's URLs use the readable numbers.
const nodeId = (type: string, n: string | number) => btoa(`${type}:${n}`);
const summary = (s: { create: number; update: number; replace: number; delete: number }) =>
  `+${s.create} ~${s.update} ±${s.replace} -${s.delete}`;

const LIST = graphql(`query History {
  revisions(first: 50) { edges { node { number commit author message status createdAt committedAt plan { number summary { create update replace delete } } } } }
  applies(first: 50) { edges { node { number status trigger startedAt durationMs revision { number } results { status } } } }
}`);

export function History() {
  const q = useQuery(LIST, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>History</h1>
          <Section title="Revisions" id="revisions">
            <Table
              caption="Revisions"
              rows={d.revisions.edges.map((e) => e.node)}
              rowKey={(r) => r.number}
              empty="No revisions read yet."
              columns={[
                {
                  header: 'revision',
                  rowHeader: true,
                  cell: (r) => <a href={href('history', 'revisions', r.number)}>#{r.number}</a>,
                },
                {
                  header: 'commit',
                  cell: (r) => (
                    <>
                      <code>{r.commit.slice(0, 12)}</code> {r.message} <span class="muted">{r.author ?? ''}</span>
                    </>
                  ),
                },
                { header: 'status', cell: (r) => <Status value={r.status} /> },
                {
                  header: 'plan',
                  cell: (r) => (r.plan ? summary(r.plan.summary) : <span class="muted">no changes</span>),
                },
                { header: 'when', cell: (r) => <Time at={r.createdAt} /> },
              ]}
            />
          </Section>
          <Section title="Applies" id="applies">
            <Table
              caption="Applies"
              rows={d.applies.edges.map((e) => e.node)}
              rowKey={(a) => a.number}
              empty="Nothing applied yet."
              columns={[
                {
                  header: 'apply',
                  rowHeader: true,
                  cell: (a) => <a href={href('history', 'applies', a.number)}>#{a.number}</a>,
                },
                { header: 'status', cell: (a) => <Status value={a.status} /> },
                { header: 'trigger', cell: (a) => a.trigger },
                {
                  header: 'revision',
                  cell: (a) =>
                    a.revision ? <a href={href('history', 'revisions', a.revision.number)}>#{a.revision.number}</a> : '—',
                },
                {
                  header: 'changes',
                  cell: (a) => (
                    <>
                      {a.results.length} ({a.results.filter((r) => r.status === 'failed').length} failed)
                    </>
                  ),
                },
                {
                  header: 'when',
                  cell: (a) => (
                    <>
                      <Time at={a.startedAt} /> · {duration(a.durationMs)}
                    </>
                  ),
                },
              ]}
            />
          </Section>
        </>
      )}
    </Page>
  );
}

const REVISION = graphql(
  `query Revision($id: ID!) {
    node(id: $id) { ... on Revision { __typename number commit source author message status createdAt committedAt diagnostics
      plan { number createdAt summary { create update replace delete } ...PlanChanges } } }
    applies(first: 100) { edges { node { number status trigger startedAt revision { number } } } }
  }`,
  [PlanChanges],
);

export function RevisionPage({ number }: { number: string }) {
  const q = useQuery(REVISION, { id: nodeId('Revision', number) }, { live: true });
  return (
    <Page q={q}>
      {(d) => {
        // The id names a revision, so the node is one (or absent).
        const r = d.node?.__typename === 'Revision' ? d.node : null;
        if (!r)
          return (
            <p class="empty">
              No revision #{number}. <a href="/history">History</a>
            </p>
          );
        const applies = d.applies.edges.map((e) => e.node).filter((a) => a.revision?.number === r.number);
        return (
          <>
            <p class="crumbs">
              <a href="/history">History</a> /
            </p>
            <h1>
              Revision #{r.number} <Status value={r.status} />
            </h1>
            <p class="commit-message">{r.message ?? <span class="muted">no commit message</span>}</p>
            <p class="muted">
              <code>{r.commit}</code> · {r.author ?? 'unknown author'} · <Time at={r.committedAt ?? r.createdAt} /> · {r.source}
            </p>
            {r.diagnostics && (
              <Section title="Why it is invalid" id="diagnostics">
                <Json value={r.diagnostics} label="diagnostics" />
              </Section>
            )}
            <Section title={r.plan ? `Plan #${r.plan.number}: ${summary(r.plan.summary)}` : 'Plan'} id="plan">
              {r.plan ? <PlanDiff changes={r.plan.changes} /> : <p class="empty">No plan: nothing needed to change.</p>}
            </Section>
            <Section title="Applies of this revision" id="applies">
              {applies.length === 0 ? (
                <p class="empty">Not applied.</p>
              ) : (
                <ul>
                  {applies.map((a) => (
                    <li key={a.number}>
                      <a href={href('history', 'applies', a.number)}>Apply #{a.number}</a> <Status value={a.status} /> (
                      {a.trigger}) <Time at={a.startedAt} />
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </>
        );
      }}
    </Page>
  );
}

const APPLY = graphql(
  `query Apply($id: ID!) { node(id: $id) { ... on Apply { __typename number status trigger startedAt finishedAt durationMs reason
    revision { number commit message }
    plan { number summary { create update replace delete } ...PlanChanges }
    results { ...ResultFields } } } }`,
  [PlanChanges, ResultFields],
);

export function ApplyPage({ number }: { number: string }) {
  const q = useQuery(APPLY, { id: nodeId('Apply', number) }, { live: true });
  return (
    <Page q={q}>
      {(d) => {
        const a = d.node?.__typename === 'Apply' ? d.node : null;
        if (!a)
          return (
            <p class="empty">
              No apply #{number}. <a href="/history">History</a>
            </p>
          );
        return (
          <>
            <p class="crumbs">
              <a href="/history">History</a> /
            </p>
            <h1>
              Apply #{a.number} <Status value={a.status} />
            </h1>
            <p class="muted">
              {a.trigger} · <Time at={a.startedAt} /> · {duration(a.durationMs)}
              {a.revision && (
                <>
                  {' '}
                  · <a href={href('history', 'revisions', a.revision.number)}>revision #{a.revision.number}</a>{' '}
                  {a.revision.message}
                </>
              )}
            </p>
            <Section title="Per-change results" id="results">
              <Results results={a.results} />
            </Section>
            {a.plan && (
              <Section title={`Plan #${a.plan.number}: ${summary(a.plan.summary)}`} id="plan">
                <PlanDiff changes={a.plan.changes} />
              </Section>
            )}
          </>
        );
      }}
    </Page>
  );
}
