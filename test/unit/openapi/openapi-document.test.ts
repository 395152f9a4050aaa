import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../../functions/openapi/openapi-document';

const document = buildOpenApiDocument() as unknown as Record<string, unknown>;

/** Every schema object in the document that has `key`, with its path. */
function schemasWith(
  key: string,
  node: unknown = document,
  path = '#',
): { path: string; schema: Record<string, unknown> }[] {
  if (typeof node !== 'object' || node === null) return [];
  const found: { path: string; schema: Record<string, unknown> }[] = [];
  const record = node as Record<string, unknown>;
  if (key in record && typeof record[key] === 'string') found.push({ path, schema: record });
  for (const [name, child] of Object.entries(record)) found.push(...schemasWith(key, child, `${path}/${name}`));
  return found;
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (checked by an OpenAPI schema validator, as a validating client would)', () => {
    // Arrange: the validator is an ES module; it runs in its own Node process
    const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const script = `
      import { Validator } from '@seriousme/openapi-schema-validator';
      const result = await new Validator().validate(process.argv[1]);
      console.log(JSON.stringify(result));`;

    // Act
    let output: string;
    try {
      output = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], {
        cwd: join(__dirname, '..', '..', '..'),
        encoding: 'utf8',
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    // Assert
    const result = JSON.parse(output) as { valid: boolean; errors?: unknown };
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('every pattern is an ECMA-262 regular expression without flags, and accepts the example beside it', () => {
    const patterns = schemasWith('pattern');
    expect(patterns.length).toBeGreaterThan(0);
    for (const { path, schema } of patterns) {
      const pattern = schema.pattern as string;
      expect({ path, pattern, compiles: (() => new RegExp(pattern, 'u'))() instanceof RegExp }).toMatchObject({
        compiles: true,
      });
      expect({ path, pattern }).not.toMatchObject({ pattern: expect.stringMatching(/\/[a-z]*$/) });
      if (typeof schema.example === 'string')
        expect({ path, accepted: new RegExp(pattern, 'u').test(schema.example) }).toEqual({ path, accepted: true });
    }
  });

  it('the tag pattern accepts a label with spaces and refuses a control character, as the API does', () => {
    const tag = schemasWith('pattern').find(({ schema }) => (schema.pattern as string).includes('\\u0000'));
    expect(tag).toBeDefined();
    const pattern = new RegExp(tag?.schema.pattern as string, 'u');
    expect(pattern.test('Buyer Lead')).toBe(true);
    expect(pattern.test('Buyer\u0007Lead')).toBe(false);
  });
});
