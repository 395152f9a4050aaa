import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/types';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';

/** The request as it would leave the process (signed), caught before it goes anywhere. */
async function requestSentBy(endpoint: string): Promise<HttpRequest> {
  const client = createDocumentClient({ endpoint, maxAttempts: 1 });
  let caught: HttpRequest | undefined;
  client.middlewareStack.add(
    () => async (args) => {
      caught = args.request as HttpRequest;
      throw new Error('caught before sending');
    },
    { step: 'deserialize', name: 'catchRequest', priority: 'low' },
  );
  await expect(client.send(new ListTablesCommand({}))).rejects.toThrow('caught before sending');
  client.destroy();
  return caught as HttpRequest;
}

describe('createDocumentClient signing', () => {
  it('on loopback (dynalite) carries a constant well-formed Authorization header instead of a signature', async () => {
    // Act
    const first = await requestSentBy('http://127.0.0.1:4567');
    const second = await requestSentBy('http://localhost:4567');

    // Assert
    expect(first.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/.+, Signature=0$/);
    expect(second.headers.authorization).toBe(first.headers.authorization);
  });

  it('any other endpoint (a VPC endpoint on AWS) is signed with SigV4 as usual', async () => {
    // Act
    const request = await requestSentBy('https://vpce-123.dynamodb.us-east-1.vpce.amazonaws.com');

    // Assert
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/dynamodb/);
    expect(request.headers.authorization).toMatch(/Signature=[0-9a-f]{64}$/);
  });
});
