import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { catalog } from '../../services/common/catalog';
import { openDatabase, type DatabaseSettings } from '../../services/common/database';
import { emailSchema, EmailStore, type EmailTables } from '../../services/email/store';
import { inventorySchema, InventoryStore, type InventoryTables } from '../../services/inventory/store';
import { paymentSchema, PaymentStore, type PaymentTables } from '../../services/payment/store';
import { shippingSchema, ShippingStore, type ShippingTables } from '../../services/shipping/store';
import type { PostgresServer } from './postgres';

export type StoreService = 'payment' | 'inventory' | 'shipping' | 'email';

/** The services that keep a store of their own. */
export const STORE_SERVICES: readonly StoreService[] = ['payment', 'inventory', 'shipping', 'email'];

/** Each service's PostgreSQL URL; a service without one keeps its SQLite file. */
export type DatabaseUrls = Partial<Record<StoreService, string>>;

/** Gives each service a database and a user of its own on `postgres`, as compose's setup job does, and returns their URLs. */
export async function createServiceDatabases(postgres: PostgresServer): Promise<Record<StoreService, string>> {
  const urls = await Promise.all(
    STORE_SERVICES.map((service) => postgres.createDatabase(service, { name: service, password: randomBytes(12).toString('hex') })),
  );
  return Object.fromEntries(STORE_SERVICES.map((service, i) => [service, urls[i]])) as Record<StoreService, string>;
}

/** The variables that point each service at its URL: PAYMENT_DATABASE_URL and so on. */
export const databaseUrlEnv = (urls: DatabaseUrls): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(urls).map(([service, url]) => [`${service.toUpperCase()}_DATABASE_URL`, url]));

/**
 * The payment, inventory, shipping and email stores of a data folder (or of the PostgreSQL
 * databases given), opened with the services' own store classes, so what a check reads is what
 * the services' own read methods return.
 */
export class ServiceStores {
  private constructor(
    readonly payment: PaymentStore,
    readonly inventory: InventoryStore,
    readonly shipping: ShippingStore,
    readonly email: EmailStore,
  ) {}

  /** Opens the four stores: each service's SQLite file in `dataDir`, unless `urls` gives its PostgreSQL database. */
  static async open(dataDir: string, urls: DatabaseUrls = {}): Promise<ServiceStores> {
    // The file names the services use when DATA_DIR is set and no *_DB_PATH overrides it.
    const settings = (service: StoreService): DatabaseSettings => ({
      urlVariable: `${service.toUpperCase()}_DATABASE_URL`,
      url: urls[service],
      sqliteFile: path.join(dataDir, `${service}.db`),
      poolMax: 4,
    });
    const [payment, inventory, shipping, email] = await Promise.all([
      openDatabase<PaymentTables>(settings('payment'), paymentSchema),
      openDatabase<InventoryTables>(settings('inventory'), inventorySchema),
      openDatabase<ShippingTables>(settings('shipping'), shippingSchema),
      openDatabase<EmailTables>(settings('email'), emailSchema),
    ]);
    const stores = new ServiceStores(
      new PaymentStore(payment),
      new InventoryStore(inventory),
      new ShippingStore(shipping),
      new EmailStore(email),
    );
    await stores.inventory.addMissingProducts(catalog);
    return stores;
  }

  /** Every order any of the stores holds data for. */
  async orderIds(): Promise<Set<string>> {
    const ids = await Promise.all([this.payment, this.inventory, this.shipping, this.email].map((store) => store.orderIds()));
    return new Set(ids.flat());
  }

  async close(): Promise<void> {
    await Promise.all([this.payment, this.inventory, this.shipping, this.email].map((store) => store.close()));
  }
}
