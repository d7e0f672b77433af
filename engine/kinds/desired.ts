import { createHash } from 'node:crypto';
import type { InterpolationContext } from '../load/interpolate.js';
import { loadSnapshot } from '../load/load-source.js';
import type { Snapshot } from '../load/snapshot.js';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error, sortDiagnostics } from '../model/diagnostic.js';
import { findCycles } from '../model/graph.js';
import { didYouMean } from '../validate/suggest.js';
import { type KindValidators, toResources } from '../validate/to-resources.js';
import type { CheckContext } from './kind.js';
import { kinds } from './registry.js';
import { KINDS, type Kind, type Resource, type ResourceKey, resourceKey } from '../model/resource.js';

export interface DesiredOptions {
  sourceRoot: string;
  dockerMode: 'standalone' | 'swarm';
  proxyConfigured: boolean;
  interpolation: InterpolationContext;
  validators: KindValidators;
}

/** The validated desired state of one snapshot: resources, and every problem found in it. */
export interface DesiredState {
  revision: string;
  /** Content hash of every file read, so a reconcile can say which files changed. */
  fileHashes: Record<string, string>;
  resources: Resource[];
  diagnostics: Diagnostic[];
}

/**
 * load → validate: parses and interpolates the snapshot, checks every document against its
 * schema, then runs the kinds' own checks, references and cycles. All problems at once.
 */
export function buildDesired(snapshot: Snapshot, opts: DesiredOptions, prior: Diagnostic[] = []): DesiredState {
  const loaded = loadSnapshot(snapshot, opts.interpolation);
  // A field whose ${env:...}/${secret:...} is missing is reported once, by interpolation; what
  // the schema or a kind check then says about the same field (empty, not a schedule) is noise.
  // So is what they say about a field whose ${env:...} was kept as written (ploy plan --base).
  const unresolved = new Set([
    ...loaded.diagnostics.filter((d) => INTERPOLATION.has(d.code)).map(at),
    ...loaded.byReference.map(at),
  ]);
  const restated = (d: Diagnostic) => unresolved.has(at(d));
  const { resources, diagnostics } = toResources(loaded.documents, opts.validators, restated);
  const byKind = Object.fromEntries(KINDS.map((k) => [k, new Map<string, Resource>()])) as Record<Kind, Map<string, Resource>>;
  for (const r of resources) byKind[r.kind].set(r.name, r);
  const ctx: CheckContext = {
    byKind,
    sourceRoot: opts.sourceRoot,
    dockerMode: opts.dockerMode,
    proxyConfigured: opts.proxyConfigured,
  };
  const ds: Diagnostic[] = [...prior, ...loaded.diagnostics, ...diagnostics];
  for (const kind of KINDS) {
    const handler = kinds[kind];
    const ofKind = [...byKind[kind].values()];
    for (const r of ofKind) ds.push(...handler.check(r, ctx).filter((d) => !restated(d)));
    if (handler.checkAll) ds.push(...handler.checkAll(ofKind, ctx).filter((d) => !restated(d)));
  }
  ds.push(...checkReferences(resources, byKind).filter((d) => !restated(d)));
  const fileHashes = Object.fromEntries(snapshot.files.map((f) => [f.path, createHash('sha1').update(f.bytes).digest('hex')]));
  return { revision: snapshot.revision, fileHashes, resources, diagnostics: sortDiagnostics(ds) };
}

const INTERPOLATION = new Set<Diagnostic['code']>(['missing-env', 'env-not-allowed', 'missing-secret', 'invalid-interpolation']);
const at = (d: SourcePos) => `${d.file}:${d.line}:${d.column}`;

function checkReferences(resources: Resource[], byKind: Record<Kind, Map<string, Resource>>): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const edges = new Map<string, ResourceKey[]>();
  // Where each edge is written (`from→to`): a cycle is reported at the reference that closes it.
  const edgeAt = new Map<string, SourcePos>();
  const byKey = new Map(resources.map((r) => [r.key as string, r]));
  for (const r of resources) {
    for (const ref of kinds[r.kind].references(r.spec)) {
      if (!byKind[ref.kind].has(ref.name)) {
        const known = [...byKind[ref.kind].keys()];
        ds.push(
          error(
            'unknown-reference',
            `${r.kind} ${r.name} refers to ${ref.kind} "${ref.name}", which is not declared.${didYouMean(ref.name, known)}`,
            r.posOf(ref.path),
            r.key,
          ),
        );
        continue;
      }
      if (ref.acyclic) {
        const to = resourceKey(ref.kind, ref.name);
        const out = edges.get(r.key);
        if (out) out.push(to);
        else edges.set(r.key, [to]);
        edgeAt.set(`${r.key}→${to}`, r.posOf(ref.path));
      }
    }
  }
  for (const cycle of findCycles([...edges.keys()], edges)) {
    const first = byKey.get(cycle[0])!;
    const names = cycle.map((k) => k.replace('/', ' ')).join(' → ');
    const at = edgeAt.get(`${cycle[0]}→${cycle[1]}`) ?? first.pos;
    ds.push(error('dependency-cycle', `Dependency cycle: ${names}. Remove one of these references.`, at, first.key));
  }
  return ds;
}
