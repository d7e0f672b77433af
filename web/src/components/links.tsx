import { href } from '../router.js';

const KIND_PATH: Record<string, string> = { App: 'apps', Monitor: 'monitors', Job: 'jobs', Notification: 'notifications' };

/** `Kind/name` → a link to the resource's page (plain text for anything else). */
export function ResourceLink({ resource }: { resource: string | null | undefined }) {
  if (!resource) return null;
  const [kind, ...rest] = resource.split('/');
  const path = KIND_PATH[kind];
  if (!path || !rest.length) return <span>{resource}</span>;
  return <a href={href(path, rest.join('/'))}>{resource}</a>;
}

export const kindPath = (kind: string) => KIND_PATH[kind] ?? 'history';
