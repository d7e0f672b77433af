import { it } from 'vitest';
import { compileKindValidators } from '../../engine/validate/schemas.js';
it('x', () => {
  const v = compileKindValidators();
  for (const [k, doc] of [['Monitor', { kind: 'Monitor', name: 'm', tcp: { host: 'a', port: 0 }, ping: { host: 'a' } }], ['App', { kind: 'App', name: 'a', restart: 'nope', healthcheck: { interval: '1s' } }], ['Monitor', {kind:'Monitor', name: 'm', http: {url: 'http://x', app: 'y'}}]] as const) {
    (v as any)[k](doc);
    console.log(JSON.stringify((v as any)[k].errors.map((e: any) => ({ kw: e.keyword, ip: e.instancePath, sp: e.schemaPath, params: e.params, msg: e.message, schema: e.keyword === 'oneOf' ? e.schema : undefined, data: e.keyword==='enum' ? e.data : undefined })), null, 1));
  }
});
