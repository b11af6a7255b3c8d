import path from 'node:path';
import { EmailStore } from '../../services/email/store';
import { catalog } from '../../services/common/catalog';
import { InventoryStore } from '../../services/inventory/store';
import { PaymentStore } from '../../services/payment/store';
import { ShippingStore } from '../../services/shipping/store';

/**
 * The payment, inventory, shipping and email stores of a data folder, opened with the services'
 * own store classes, so what a check reads is what the services' own read methods return.
 */
export class ServiceStores {
  readonly payment: PaymentStore;
  readonly inventory: InventoryStore;
  readonly shipping: ShippingStore;
  readonly email: EmailStore;

  constructor(dataDir: string) {
    // The file names the services use when DATA_DIR is set and no *_DB_PATH overrides it.
    this.payment = new PaymentStore(path.join(dataDir, 'payment.db'));
    this.inventory = new InventoryStore(path.join(dataDir, 'inventory.db'), catalog);
    this.shipping = new ShippingStore(path.join(dataDir, 'shipping.db'));
    this.email = new EmailStore(path.join(dataDir, 'email.db'));
  }

  /** Every order any of the stores holds data for. */
  orderIds(): Set<string> {
    return new Set([this.payment, this.inventory, this.shipping, this.email].flatMap((store) => store.orderIds()));
  }

  close(): void {
    for (const store of [this.payment, this.inventory, this.shipping, this.email]) store.close();
  }
}
