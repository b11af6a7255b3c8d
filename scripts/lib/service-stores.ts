import path from 'node:path';
import { catalog } from '../../services/common/catalog';
import { openDatabase, type DatabaseSettings } from '../../services/common/database';
import { emailSchema, EmailStore, type EmailTables } from '../../services/email/store';
import { inventorySchema, InventoryStore, type InventoryTables } from '../../services/inventory/store';
import { paymentSchema, PaymentStore, type PaymentTables } from '../../services/payment/store';
import { shippingSchema, ShippingStore, type ShippingTables } from '../../services/shipping/store';

export type StoreService = 'payment' | 'inventory' | 'shipping' | 'email';

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
  static async open(dataDir: string, urls: Partial<Record<StoreService, string>> = {}): Promise<ServiceStores> {
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
