import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { OrderInput } from './types';

// Custom search attributes: the Web UI's workflow list can filter on them,
// e.g. `OrderStatus = "shipping"` or `CustomerId = "c-42"`.
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderTotalKey = defineSearchAttributeKey('OrderTotal', SearchAttributeType.DOUBLE);
// Set while the order waits for a person: the approvals inbox lists the time left from it.
export const ApprovalDeadlineKey = defineSearchAttributeKey('ApprovalDeadline', SearchAttributeType.DATETIME);

/** The types a custom search attribute can have here, as the CLI and the dev server name them. */
export type CustomSearchAttributeType = 'Keyword' | 'Double' | 'Datetime';

/** Every custom search attribute, as `temporal server start-dev --search-attribute` expects them. */
export const customSearchAttributes: Record<string, CustomSearchAttributeType> = {
  [OrderStatusKey.name]: 'Keyword',
  [CustomerIdKey.name]: 'Keyword',
  [OrderTotalKey.name]: 'Double',
  [ApprovalDeadlineKey.name]: 'Datetime',
};

/** The search attributes an order has from its start: the API sets them when it starts the workflow. */
export const orderStartAttributes = (order: Pick<OrderInput, 'customerId' | 'totalCents'>): SearchAttributePair[] => [
  { key: OrderStatusKey, value: 'received' },
  { key: CustomerIdKey, value: order.customerId },
  { key: OrderTotalKey, value: order.totalCents / 100 },
];
