import { ServiceStores } from '../../scripts/lib/service-stores';

/**
 * The services' own stores of a test stack, read through their own read methods, to check what
 * each service actually did, not only what the workflow says.
 */
export class Stores {
  constructor(private readonly dataDir: string) {}

  private read<T>(query: (stores: ServiceStores) => T): T {
    const stores = new ServiceStores(this.dataDir);
    try {
      return query(stores);
    } finally {
      stores.close();
    }
  }

  /** The payment ledger's movements for an order, oldest first. */
  ledger(orderId: string): { movement: string; amountCents: number }[] {
    return this.read((s) => s.payment.ledger(orderId).map(({ movement, amountCents }) => ({ movement, amountCents })));
  }

  reservations(orderId: string): { sku: string; quantity: number; status: string }[] {
    return this.read((s) => s.inventory.reservations(orderId).map(({ sku, quantity, status }) => ({ sku, quantity, status })));
  }

  stock(sku: string): number {
    return this.read((s) => s.inventory.stock(sku)!);
  }

  shipments(orderId: string): { status: string }[] {
    return this.read((s) => s.shipping.shipmentsForOrder(orderId).map(({ status }) => ({ status })));
  }

  emails(orderId: string): { template: string }[] {
    return this.read((s) => s.email.sentTo(orderId).map(({ template }) => ({ template })));
  }
}
