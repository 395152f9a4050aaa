/** Jest runs TypeScript through swc (type-checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // middy 6 ships ESM only; let swc transform it.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  testTimeout: 60000,
  maxWorkers: 2,
};
