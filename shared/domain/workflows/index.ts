export * from './enrollment';
export * from './workflow.schema';
export * from './workflow-graph';
