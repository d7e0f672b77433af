/** Swarm mode in the container runtime port's terms: the daemon's place in a swarm, and services. */

import type { ContainerSpec } from './container-runtime-containers.js';
import type { RegistryAuth } from './container-runtime-images.js';

/** This daemon's place in a swarm; `state: 'inactive'` for a plain standalone daemon. */
export interface SwarmState {
  state: 'inactive' | 'pending' | 'active' | 'error' | 'locked';
  /** Empty when not in a swarm. */
  nodeId: string;
  /** True on a manager node: the only kind that may create services. */
  isManager: boolean;
}

/** An app as a Swarm service: a container template, a replica count, and how Swarm rolls it. */
export interface ServiceSpec extends Omit<ContainerSpec, 'stopTimeoutSeconds' | 'restart'> {
  replicas: number;
  restart?: { condition: 'none' | 'on-failure' | 'any' };
  /** Swarm's own rolling update: one task at a time, in this order, undone or paused on failure. */
  update: { order: 'start-first' | 'stop-first'; failureAction: 'rollback' | 'pause'; monitorMs: number };
  /** Credentials the nodes use to pull the image. */
  auth?: RegistryAuth;
}

/** A service as Swarm reports it. */
export interface ServiceInfo {
  id: string;
  name: string;
  /** Swarm's object version, needed for an update. */
  version: number;
  image: string;
  labels: Record<string, string>;
  replicas: number;
  runningTasks: number;
  /** The last rolling update's state; undefined before the first update. */
  updateState?: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';
  updateMessage?: string;
  /** When that update started, to tell it from an earlier one. */
  updateStartedAt?: Date;
  /** Ports published on the routing mesh: every node forwards `published` to a task's `target`. */
  ports: { target: number; published: number; protocol: 'tcp' | 'udp' }[];
}
