import type { Payload, PayloadCodec } from '@temporalio/common';
import { ApiError } from './errors';
import { errorReplies } from './schemas';
import type { ApiInstance } from './type-provider';

// The codec server the Temporal Web UI and CLI call to show payloads in the clear
// (--ui-codec-endpoint, TEMPORAL_CODEC_ENDPOINT, `temporal --codec-endpoint`): Temporal's JSON
// form of payloads, metadata values and data in base64.

const base64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'base64' } as const;

const payloadsBody = {
  type: 'object',
  required: ['payloads'],
  additionalProperties: false,
  properties: {
    payloads: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { metadata: { type: 'object', additionalProperties: base64 }, data: base64 },
      },
    },
  },
} as const;

// The Web UI sends a history's payloads in batches; Temporal's own limit on one payload is 2 MB.
const CODEC_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = ({ metadata = {}, data = '' }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(data, 'base64'),
});

const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
  data: Buffer.from(data ?? []).toString('base64'),
});

/** POST /codec/encode and /codec/decode; they need the API key like every other POST. */
export async function codecRoutes(app: ApiInstance, { codec }: { codec: PayloadCodec }): Promise<void> {
  const route = (direction: 'encode' | 'decode', summary: string) =>
    app.post(
      `/codec/${direction}`,
      {
        bodyLimit: CODEC_BODY_LIMIT_BYTES,
        schema: { summary, tags: ['codec'], body: payloadsBody, response: { 200: payloadsBody, ...errorReplies(400, 401, 413, 415, 429) } },
      },
      async (request) => {
        try {
          return { payloads: (await codec[direction](request.body.payloads.map(fromJson))).map(toJson) };
        } catch (err) {
          // An unknown key id, or a payload that fails authentication: the caller's data, not the server, is at fault.
          throw new ApiError(400, `cannot ${direction} the payloads: ${err instanceof Error ? err.message : err}`);
        }
      },
    );
  route('encode', 'Encrypts payloads with the current key');
  route('decode', 'Decrypts payloads; payloads that are not encrypted come back as they are');
}
