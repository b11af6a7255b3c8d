import { defineQuery } from '@temporalio/workflow';
import type { OrderView } from './types';

// Messages are defined once, here, and imported by both the workflow and the API client.

/** The order's current status and step timeline. */
export const orderStatusQuery = defineQuery<OrderView>('status');
