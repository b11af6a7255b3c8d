import type { CatalogProduct } from './contract';

export interface CartLine {
  product: CatalogProduct;
  quantity: number;
}

/** What the customer is about to order, one line per product. */
export class Cart {
  private readonly lines = new Map<string, CartLine>();

  add(product: CatalogProduct, quantity: number): void {
    const current = this.lines.get(product.sku)?.quantity ?? 0;
    this.lines.set(product.sku, { product, quantity: current + quantity });
  }

  remove(sku: string): void {
    this.lines.delete(sku);
  }

  contents(): CartLine[] {
    return [...this.lines.values()];
  }

  totalCents(): number {
    return this.contents().reduce((sum, { product, quantity }) => sum + product.priceCents * quantity, 0);
  }

  /** The items of POST /orders. */
  items(): { sku: string; quantity: number }[] {
    return this.contents().map(({ product, quantity }) => ({ sku: product.sku, quantity }));
  }
}
