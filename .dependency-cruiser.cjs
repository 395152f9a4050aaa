/** Keeps the arrows pointing inward: functions -> shared, domain -> nothing, infra -> no shared code. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'shared/domain holds pure rules: no AWS SDK, no adapters, no use cases, no Node I/O.',
      severity: 'error',
      from: { path: '^shared/domain' },
      to: { path: ['^shared/(adapters|app|ports|middleware|config)', '@aws-sdk', '^node:(fs|net|http|child_process)'] },
    },
    {
      name: 'app-uses-ports-not-adapters',
      comment: 'use cases get adapters injected through ports',
      severity: 'error',
      from: { path: '^shared/app' },
      to: { path: ['^shared/adapters', '@aws-sdk', '^shared/config'] },
    },
    {
      name: 'shared-never-imports-entry-points',
      severity: 'error',
      from: { path: '^shared' },
      to: { path: '^(functions|local|infra|bench)' },
    },
    {
      name: 'infra-imports-no-shared-code',
      comment: 'infra only knows handler paths (functions/routes.ts), never shared code',
      severity: 'error',
      from: { path: '^infra' },
      to: { path: '^shared' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['node_modules', 'cdk.out', '\\.data'] },
  },
};
