import { DefaultFailureConverter } from '@temporalio/common';

// Loaded by path (DataConverter.failureConverterPath): a failure's message and stack trace move
// into its encoded attributes, so the payload codec encrypts them like any other payload.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
