import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes: the Web UI's workflow list can filter on them,
// e.g. `OrderStatus = "shipping"` or `CustomerId = "c-42"`.
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderTotalKey = defineSearchAttributeKey('OrderTotal', SearchAttributeType.DOUBLE);

/** Every custom search attribute, as `temporal server start-dev --search-attribute` expects them. */
export const customSearchAttributes: Record<string, 'Keyword' | 'Double'> = {
  [OrderStatusKey.name]: 'Keyword',
  [CustomerIdKey.name]: 'Keyword',
  [OrderTotalKey.name]: 'Double',
};
