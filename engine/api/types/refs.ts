import type { ContainerSummary } from '../../ports/container-runtime.js';
import type { AppliedResource, ApplyRecord, EventRecord, PlanRecord, RevisionRecord } from '../../ports/store.js';
import type {
  DeliveryRecord,
  DeploymentRecord,
  HeartbeatRecord,
  MonitorStateRecord,
  OccurrenceRecord,
  StoredChangeResult,
} from '../../ports/read-model.js';
import type { PlanDocument } from '../../plan/types.js';
import { builder } from '../builder.js';

// Every object type's ref, declared once here so the type files can point at each other
// without import cycles. Each type's fields live in its own file.
export const RevisionRef = builder.objectRef<RevisionRecord>('Revision');
export const PlanRef = builder.objectRef<PlanRecord>('Plan');
export const PlanChangeRef = builder.objectRef<PlanDocument['changes'][number]>('PlanChange');
export const ApplyRef = builder.objectRef<ApplyRecord>('Apply');
export const ChangeResultRef = builder.objectRef<StoredChangeResult>('ChangeResult');
export const EventRef = builder.objectRef<EventRecord>('Event');
export const DeploymentRef = builder.objectRef<DeploymentRecord>('Deployment');
export const ContainerRef = builder.objectRef<ContainerSummary>('Container');
export const MonitorStateRef = builder.objectRef<MonitorStateRecord>('MonitorState');
export const HeartbeatRef = builder.objectRef<HeartbeatRecord>('Heartbeat');
export const ExecutionRef = builder.objectRef<OccurrenceRecord>('Execution');
export const MissedSlotRef = builder.objectRef<OccurrenceRecord>('MissedSlot');
export const DeliveryRef = builder.objectRef<DeliveryRecord>('Delivery');

/** A resource as applied: the API's view of one row of applied state. */
export type AppliedOf<K extends AppliedResource['kind']> = AppliedResource & { kind: K };
export const AppRef = builder.objectRef<AppliedOf<'App'>>('App');
export const MonitorRef = builder.objectRef<AppliedOf<'Monitor'>>('Monitor');
export const JobRef = builder.objectRef<AppliedOf<'Job'>>('Job');
export const NotificationRef = builder.objectRef<AppliedOf<'Notification'>>('Notification');
