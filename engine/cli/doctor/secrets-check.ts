import fs from 'node:fs';
import { secretExposures } from '../../config/secrets-dir.js';
import { type Check, type CheckOutcome, fail, octal, ok, warn } from './check.js';

/**
 * secrets.dir: present, and no secret in it readable or replaceable by another user of the
 * host (as ssh demands of a key); the judgement is the engine's own (config/secrets-dir.ts).
 */
export const secretsCheck: Check = async ({ config }): Promise<CheckOutcome> => {
  const dir = config.secrets.dir;
  if (!dir) return { lines: [ok('secrets', 'no secrets.dir: ${secret:NAME} reads PLOY_SECRET_NAME variables')] };
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    return {
      lines: [
        warn(
          'secrets',
          `${dir} does not exist: \${secret:NAME} reads only PLOY_SECRET_NAME variables`,
          `mkdir -m 700 ${dir}, then put one file per secret in it (chmod 600).`,
        ),
      ],
    };
  const { files, dir: open } = secretExposures(dir);
  const who = (w: 'group' | 'others') => (w === 'others' ? 'every user' : 'its group');
  const problems = [
    ...(open ? [`${open.path} (${octal(open.mode)}: ${who(open.who)} may add or replace secrets)`] : []),
    ...files.slice(0, 3).map((f) => `${f.path} (${octal(f.mode)}: ${who(f.who)} may read or change it)`),
  ];
  if (problems.length === 0) return { lines: [ok('secrets', `${dir} is private to its owner`)] };
  const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
  return {
    lines: [
      fail(
        'secrets',
        `secrets are open to other users of this host: ${problems.join(', ')}${more}`,
        `chmod 700 ${dir} && chmod 600 ${dir}/*, and run Ploy as the user that owns them.`,
      ),
    ],
  };
};
