import type { RegistryCredentials } from '../ports/container-runtime.js';
import type { EngineConfig } from './types.js';

/** `registries` of ploy.config.yaml as the app runtime takes them; passwords stay Sensitive. */
export const registryCredentials = (config: EngineConfig): RegistryCredentials[] =>
  config.registries.map((r) => ({ serverAddress: r.server, username: r.username, password: r.password }));
