import type { Spec } from '../../model/resource.js';
import { list, text } from '../shared.js';
import { parsePort } from './ports.js';

export interface RolloutOrder {
  order: 'start-first' | 'stop-first';
  why: string;
}

/**
 * start-first unless it cannot work: with one replica publishing a fixed host port, the new
 * container could not bind the port while the old one holds it. `update.order` overrides.
 */
export function rolloutOrder(spec: Spec): RolloutOrder {
  const update = (spec.update ?? {}) as { order?: string };
  if (update.order === 'start-first') return { order: 'start-first', why: 'update.order is start-first' };
  if (update.order === 'stop-first') return { order: 'stop-first', why: 'update.order is stop-first' };
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const fixed = list(spec.ports)
    .map((p) => parsePort(String(text(p) ?? '')))
    .find((p) => p?.hostPort !== undefined);
  if (fixed && replicas <= 1) {
    return {
      order: 'stop-first',
      why: `host port ${fixed.hostPort}/${fixed.protocol} is fixed and there is one replica: old and new cannot bind it at once`,
    };
  }
  return { order: 'start-first', why: 'no fixed host port: the new container starts and is healthy before the old one stops' };
}
