import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { openDatabase, type DatabaseSettings, type Dialect } from '../../services/common/database';
import { emailSchema, EmailStore, type EmailTables } from '../../services/email/store';
import { inventorySchema, InventoryStore, type InventoryTables } from '../../services/inventory/store';
import { CardGateway } from '../../services/payment/gateway';
import { paymentSchema, PaymentStore, type PaymentTables } from '../../services/payment/store';
import { shippingSchema, ShippingStore, type ShippingTables } from '../../services/shipping/store';
import { databaseSettings } from '../support/databases';
import { raceInProcesses } from './replicas';

// Replicas of a service racing on the same key, on each database: each replica is a process of
// its own (as in production), and on PostgreSQL several pools in this process race as well.

const REPLICAS = 4;
const SEED = [{ sku: 'MUG', name: 'Mug', priceCents: 1000, initialStock: 10 }];
const authorization = {
  idempotencyKey: 'charge-o-1',
  orderId: 'o-1',
  movement: 'authorize',
  amountCents: 2500,
  gatewayReference: 'aut_charge-o-1',
} as const;
const booking = (trackingNumber: string) => ({
  shipmentId: 'shipment-o-1',
  orderId: 'o-1',
  carrier: 'Temporal Express',
  trackingNumber,
  label: '-',
  expectedDeliveryAt: '2026-01-01T00:00:00.000Z',
});
const email = {
  orderId: 'o-1',
  template: 'order-confirmation',
  messageId: '<o-1.order-confirmation@shop.example>',
  recipient: 'ada@example.com',
  subject: 'Your order',
};
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

let postgres: PostgresServer;
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres?.destroy());

/** A fresh, empty database of the dialect: a new PostgreSQL database with its own user, or a new SQLite file. */
async function freshDatabase(dialect: Dialect): Promise<DatabaseSettings> {
  if (dialect === 'sqlite') return databaseSettings();
  databases += 1;
  return databaseSettings(await postgres.createDatabase(`races_${databases}`, { name: 'shop', password: 'shop-secret' }));
}

describe.each<Dialect>(['sqlite', 'postgres'])('replicas racing on %s', (dialect) => {
  let settings: DatabaseSettings;
  beforeEach(async () => {
    settings = await freshDatabase(dialect);
  });

  test('four processes authorising the same charge record one authorisation, and each gets that charge', async () => {
    const results = await raceInProcesses(
      'payment',
      settings,
      times(REPLICAS, () => ({ method: 'record', args: [authorization] })),
    );
    expect(results).toEqual(
      times(REPLICAS, () => ({ idempotencyKey: 'charge-o-1', orderId: 'o-1', amountCents: 2500, status: 'authorized' })),
    );
    const store = new PaymentStore(await openDatabase<PaymentTables>(settings, paymentSchema));
    expect((await store.ledger('o-1')).map((entry) => entry.movement)).toEqual(['authorize']);
    await store.close();
  });

  test('four processes asking the card gateway for the same operation get one reference from one stored operation', async () => {
    const results = await raceInProcesses(
      'gateway',
      settings,
      times(REPLICAS, () => ({ method: 'perform', args: ['authorize', 'charge-o-1', 2500] })),
    );
    expect(new Set(results)).toEqual(new Set(['aut_charge-o-1']));
    const database = await openDatabase<PaymentTables>(settings, paymentSchema);
    expect(await database.db.selectFrom('gateway_operations').select(['idempotency_key', 'operation']).execute()).toEqual([
      { idempotency_key: 'charge-o-1', operation: 'authorize' },
    ]);
    expect(
      await new CardGateway(database, { latencyMs: 0, failureRate: 1, declinedTokens: [] }).perform('authorize', 'charge-o-1', 2500),
    ).toBe('aut_charge-o-1');
    await database.close();
  });

  test('four processes reserving the same order take the stock once, and each gets the one reservation', async () => {
    const seeded = new InventoryStore(await openDatabase<InventoryTables>(settings, inventorySchema));
    await seeded.addMissingProducts(SEED);
    const results = await raceInProcesses(
      'inventory',
      settings,
      times(REPLICAS, () => ({ method: 'reserve', args: ['o-1', [{ sku: 'MUG', quantity: 3 }]] })),
    );
    expect(results).toEqual(times(REPLICAS, () => [{ orderId: 'o-1', sku: 'MUG', quantity: 3, status: 'reserved' }]));
    expect(await seeded.stock('MUG')).toBe(7);

    await raceInProcesses(
      'inventory',
      settings,
      times(REPLICAS, () => ({ method: 'release', args: ['o-1'] })),
    );
    expect(await seeded.stock('MUG')).toBe(10);
    await seeded.close();
  });

  test('four processes booking the same shipment with different tracking numbers store one booking, and each gets it', async () => {
    const results = (await raceInProcesses(
      'shipping',
      settings,
      times(REPLICAS, (i) => ({ method: 'book', args: [booking(`TX${i}`)] })),
    )) as { trackingNumber: string }[];
    expect(new Set(results.map((shipment) => shipment.trackingNumber)).size).toBe(1);
    const store = new ShippingStore(await openDatabase<ShippingTables>(settings, shippingSchema));
    expect((await store.shipmentsForOrder('o-1')).map((shipment) => shipment.trackingNumber)).toEqual([results[0].trackingNumber]);
    await store.close();
  });

  test('four processes recording the same email store one record, and each gets it', async () => {
    const results = await raceInProcesses(
      'email',
      settings,
      times(REPLICAS, () => ({ method: 'record', args: [email] })),
    );
    expect(new Set(results.map((sent) => JSON.stringify(sent))).size).toBe(1);
    const store = new EmailStore(await openDatabase<EmailTables>(settings, emailSchema));
    expect(await store.sentTo('o-1')).toHaveLength(1);
    await store.close();
  });

  test('eight calls racing through one store in one process reserve the stock once', async () => {
    const inventory = new InventoryStore(await openDatabase<InventoryTables>(settings, inventorySchema));
    await inventory.addMissingProducts(SEED);
    await Promise.all(times(8, () => inventory.reserve('o-2', [{ sku: 'MUG', quantity: 2 }])));
    expect(await inventory.stock('MUG')).toBe(8);
    await inventory.close();
  });
});

describe('replicas racing on postgres, as separate pools in one process', () => {
  test('eight stores reserving, authorising and booking the same order at once each produce one effect', async () => {
    const settings = await freshDatabase('postgres');
    const inventories = await Promise.all(
      times(8, async () => new InventoryStore(await openDatabase<InventoryTables>(settings, inventorySchema))),
    );
    const payments = await Promise.all(times(8, async () => new PaymentStore(await openDatabase<PaymentTables>(settings, paymentSchema))));
    const shippings = await Promise.all(
      times(8, async () => new ShippingStore(await openDatabase<ShippingTables>(settings, shippingSchema))),
    );
    await inventories[0].addMissingProducts(SEED);

    await Promise.all([
      ...inventories.map((store) => store.reserve('o-3', [{ sku: 'MUG', quantity: 4 }])),
      ...payments.map((store) => store.record({ ...authorization, orderId: 'o-3', idempotencyKey: 'charge-o-3' })),
      ...shippings.map((store, i) => store.book({ ...booking(`TX-o3-${i}`), shipmentId: 'shipment-o-3', orderId: 'o-3' })),
    ]);

    expect(await inventories[0].stock('MUG')).toBe(6);
    expect(await inventories[0].reservations('o-3')).toEqual([{ orderId: 'o-3', sku: 'MUG', quantity: 4, status: 'reserved' }]);
    expect((await payments[0].ledger('o-3')).map((entry) => entry.movement)).toEqual(['authorize']);
    expect(await shippings[0].shipmentsForOrder('o-3')).toHaveLength(1);
    await Promise.all([...inventories, ...payments, ...shippings].map((store) => store.close()));
  });
});
