import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileKindValidators } from '../validate/schemas.js';
import { loadConfig } from './load-config.js';
import { knownSecrets } from './known-secrets.js';

async function configIn(files: Record<string, string>, env: Record<string, string> = {}) {
  const cwd = await mkdtemp(join(tmpdir(), 'ploy-known-secrets-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(cwd, path, '..'), { recursive: true });
    await writeFile(join(cwd, path), text);
  }
  const { config, diagnostics } = loadConfig({ cwd, env, validator: compileKindValidators().config });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { config: config!, env };
}

describe('knownSecrets', () => {
  it('knows every file of the secrets dir and every PLOY_SECRET_ variable, referenced or not', async () => {
    const { config, env } = await configIn(
      {
        'ploy.config.yaml': 'secrets: {dir: ./secrets}\n',
        'secrets/DB_PASSWORD': 'file-secret-1\n',
        'secrets/.hidden': 'not-a-secret-file',
        'secrets/nested/X': 'in-a-subfolder',
      },
      { PLOY_SECRET_API_KEY: 'env-secret-2', HOME: '/root' },
    );
    const known = knownSecrets(config, env);
    expect(known).toEqual(expect.arrayContaining(['file-secret-1', 'env-secret-2']));
    expect(known).not.toContain('/root');
    expect(known).not.toContain('not-a-secret-file');
    expect(known).not.toContain('in-a-subfolder');
  });

  it("knows the engine's own credentials, written as secrets or literally", async () => {
    const { config, env } = await configIn(
      {
        'ploy.config.yaml': [
          'store: {url: "postgres://ploy:p%40ss-word@db.internal/ploy"}',
          'api: {token: literal-api-token}',
          'webhook: {secret: "${secret:HOOK}"}',
          'secrets: {dir: ./secrets}',
          'registries: [{server: r.example, username: ci, password: registry-pass}]',
        ].join('\n'),
        'secrets/HOOK': 'hook-secret-3',
      },
      {},
    );
    expect(knownSecrets(config, env)).toEqual(
      expect.arrayContaining(['p@ss-word', 'literal-api-token', 'hook-secret-3', 'registry-pass']),
    );
  });

  it('takes the API token and the store URL from the environment, as the engine does', async () => {
    const { config, env } = await configIn(
      { 'ploy.config.yaml': 'log: {level: info}\n' },
      { PLOY_API_TOKEN: 'env-api-token', DATABASE_URL: 'postgres://u:env-db-pass@127.0.0.1/x' },
    );
    expect(knownSecrets(config, env)).toEqual(expect.arrayContaining(['env-api-token', 'env-db-pass']));
  });
});
