import { CustomerIdKey, OrderStatusKey, OrderTotalKey } from '../../workflows/search-attributes';
import { startOrder } from '../support/orders';
import { TestStack } from '../support/stack';

// The API sets the order's search attributes when it starts the workflow; the workflow sets the
// same ones, so an order started another way is listed and filtered like the others.

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'search-attributes' });
});

afterAll(() => stack?.stop());

test('an order started without search attributes gets its customer and total from the workflow', async () => {
  const { handle } = await startOrder(stack);

  await handle.result();

  const { typedSearchAttributes } = await handle.describe();
  expect(typedSearchAttributes.get(CustomerIdKey)).toBe('c-ada');
  expect(typedSearchAttributes.get(OrderTotalKey)).toBe(33);
  expect(typedSearchAttributes.get(OrderStatusKey)).toBe('completed');
});
