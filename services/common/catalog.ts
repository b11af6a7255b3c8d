// The shop's products, shared business data: the inventory service seeds its store from this list
// and the API prices orders from it, so neither imports the other's folder.

/** A product, its price, and the stock the inventory store starts with. */
export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  initialStock: number;
}

/** Everything the shop sells. */
export const catalog: readonly Product[] = [
  { sku: 'TSHIRT-TEMPORAL', name: 'Temporal T-shirt', priceCents: 2500, initialStock: 1000 },
  { sku: 'MUG-DURABLE', name: 'Durable execution mug', priceCents: 1400, initialStock: 1000 },
  { sku: 'STICKER-PACK', name: 'Sticker pack', priceCents: 500, initialStock: 5000 },
  { sku: 'HOODIE-REPLAY', name: 'Replay hoodie', priceCents: 6000, initialStock: 200 },
  { sku: 'POSTER-LIMITED', name: 'Signed poster (limited)', priceCents: 15000, initialStock: 5 },
];

/** The product with this SKU, if the shop sells it. */
export const findProduct = (sku: string): Product | undefined => catalog.find((product) => product.sku === sku);
