import fs from 'node:fs';
import { GitSourceError } from '../../source/git-source-error.js';
import { type Check, type CheckOutcome, fail, ok } from './check.js';

const FIX: Partial<Record<GitSourceError['kind'], string>> = {
  auth: 'Set source.git.auth in ploy.config.yaml: a token with read access ("${secret:GIT_TOKEN}"), or username and password.',
  'repo-not-found': 'Check source.git.url; a private repository also answers 404 to wrong credentials.',
  'ref-not-found': 'Set source.git.ref to a branch or tag that exists.',
  'empty-repository': 'Push a first commit to the repository.',
  unreachable: 'Check the host name, the network and any proxy between this machine and the git server.',
  'bad-url': 'Use an http(s) URL: https://github.com/acme/deploy.git.',
};
const OTHER = 'Check source.git.url, its credentials and that the git server answers smart HTTP.';

/** The source: a local directory that exists, or a git remote that answers with the ref (and accepts the credentials). */
export const sourceCheck: Check = async ({ config, signal }): Promise<CheckOutcome> => {
  if ('path' in config.source) {
    const dir = config.source.path;
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      return {
        lines: [
          fail('source', `${dir} is not a directory`, 'Create it (ploy init DIR), or correct source.path in ploy.config.yaml.'),
        ],
      };
    return { lines: [ok('source', `local directory ${dir}`)] };
  }
  const { probeGitSource } = await import('../../source/git-probe.js');
  try {
    const found = await probeGitSource(config.source.git, signal);
    return { lines: [ok('source', `${found.url}: ${found.ref} at ${found.oid.slice(0, 7)}`)] };
  } catch (err) {
    if (err instanceof GitSourceError) return { lines: [fail('source', err.message, FIX[err.kind] ?? OTHER)] };
    throw err;
  }
};
