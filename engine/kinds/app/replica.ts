import type { ContainerSummary } from '../../ports/container-runtime.js';
import { APP_LABELS } from './app-container.js';

/**
 * Which replica of its app a container is (its `ploy.replica` label; 0 when missing). In a file
 * of its own because both rollout (acting) and observe (reading) need it, and observe already
 * reaches rollout through swarm: keeping it in observe made an import cycle.
 */
export const replicaOf = (c: ContainerSummary): number => Number(c.labels[APP_LABELS.replica]) || 0;
