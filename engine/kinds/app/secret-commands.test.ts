import { describe, expect, it } from 'vitest';
import { reveal, Sensitive } from '../../model/sensitive.js';
import type { Spec } from '../../model/resource.js';
import { appContainerSpec } from './app-container.js';
import { commandsByReference } from './secret-commands.js';

const VALUE = 'pa\'ss"word $(id)';
/** `before${secret:PW}after`, as interpolation builds it. */
const withSecret = (before: string, after = '') =>
  new Sensitive(
    `${before}${VALUE}${after}`,
    `${before}\${secret:PW}${after}`,
    ['PW'],
    [before, { secret: 'PW', value: VALUE }, after].filter((p) => p !== ''),
  );

function container(spec: Spec) {
  const r = commandsByReference(spec);
  if ('error' in r) throw new Error(r.error);
  return appContainerSpec({
    app: 'db',
    spec: reveal(r.value) as Spec,
    image: 'img',
    containerName: 'db.1.abc',
    replica: 1,
    hash: 'h',
    revision: 'r',
    baseDir: '/',
  });
}

describe('commandsByReference', () => {
  it("puts an app's command and health check secrets in its env and references in its command line", () => {
    const c = container({
      image: 'img',
      command: withSecret("exec server --password '", "'"),
      healthcheck: { cmd: withSecret('check "', '"') },
      env: { MODE: 'prod' },
    });
    expect(c.cmd).toEqual(['/bin/sh', '-c', `exec server --password ''"\${PLOY_SECRET_REF_PW}"''`]);
    expect(c.healthcheck?.cmd).toBe('check "${PLOY_SECRET_REF_PW}"');
    expect(c.env).toEqual({ MODE: 'prod', PLOY_SECRET_REF_PW: VALUE });
    for (const text of [...c.cmd!, String(c.healthcheck?.cmd)]) expect(text).not.toContain('ss"wo');
  });

  it("rewrites a list's sh -c text and the preDeploy hook's command the same way", () => {
    const spec: Spec = {
      image: 'img',
      command: ['sh', '-c', withSecret('echo ')],
      hooks: { preDeploy: { command: withSecret('migrate --pw=') } },
    };
    const r = commandsByReference(spec);
    expect(r).toEqual({
      value: {
        image: 'img',
        command: ['sh', '-c', 'echo "${PLOY_SECRET_REF_PW}"'],
        hooks: { preDeploy: { command: 'migrate --pw="${PLOY_SECRET_REF_PW}"' } },
        env: { PLOY_SECRET_REF_PW: VALUE },
      },
    });
  });

  it('leaves a spec whose commands hold no secret as it is', () => {
    const spec: Spec = { image: 'img', command: 'serve', env: { TOKEN: withSecret('') } };
    expect(commandsByReference(spec)).toEqual({ value: spec });
    expect((commandsByReference(spec) as { value: Spec }).value).toBe(spec);
  });

  it('fails with the reason for a secret in a here-document with a quoted delimiter', () => {
    const r = commandsByReference({ image: 'img', command: withSecret("cat <<'EOF'\n", '\nEOF') });
    expect(r).toEqual({ error: expect.stringContaining('secret PW is inside a here-document with a quoted delimiter') });
  });
});
