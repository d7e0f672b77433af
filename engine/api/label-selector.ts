import { GraphQLError } from 'graphql';

type Requirement = { key: string; op: 'exists' | 'absent' } | { key: string; op: 'in' | 'notin'; values: string[] };

/** A label selector, Kubernetes syntax: `env=prod,tier!=db,team,!legacy,zone in (a,b),x notin (c)`. */
export type LabelSelector = (labels: Record<string, string>) => boolean;

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** Parses a selector; a malformed one is a GraphQL error that says which part is wrong. */
export function parseLabelSelector(text: string): LabelSelector {
  const reqs: Requirement[] = [];
  // Split on commas outside parentheses: `zone in (a,b)` is one requirement.
  for (const raw of text.split(/,(?![^(]*\))/)) {
    const part = raw.trim();
    if (!part) continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(part))) {
      reqs.push({ key: check(m[1], text), op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] });
    } else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      const values = m[3].split(',').map((v) => v.trim());
      reqs.push({ key: check(m[1], text), op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^!\s*(\S+)$/.exec(part))) {
      reqs.push({ key: check(m[1], text), op: 'absent' });
    } else {
      reqs.push({ key: check(part, text), op: 'exists' });
    }
  }
  return (labels) =>
    reqs.every((r) => {
      const has = Object.hasOwn(labels, r.key);
      if (r.op === 'exists') return has;
      if (r.op === 'absent') return !has;
      if (r.op === 'in') return has && r.values.includes(labels[r.key]);
      if (r.op === 'notin') return !has || !r.values.includes(labels[r.key]);
      return false;
    });
}

function check(key: string, text: string): string {
  if (!KEY.test(key))
    throw new GraphQLError(
      `label selector "${text}": "${key}" is not a label key (write key=value, key!=value, key, !key, key in (a,b))`,
      {
        extensions: { code: 'BAD_SELECTOR' },
      },
    );
  return key;
}
