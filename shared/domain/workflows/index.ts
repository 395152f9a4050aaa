export * from './enrollment';
export * from './step-counts';
export * from './triggers';
export * from './wake-plan';
export * from './workflow.schema';
export * from './workflow-event.schema';
export * from './workflow-graph';
export * from './workflow-messages';
