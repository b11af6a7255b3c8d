/**
 * The Idempotency-Key of a checkout: made once for an order body and sent again on every retry of
 * that same body, so a retry after a lost answer places the order once. A changed body is a new order.
 */
export class CheckoutKey {
  private body?: string;
  private key?: string;

  for(body: unknown): string {
    const json = JSON.stringify(body);
    if (json !== this.body || !this.key) {
      this.body = json;
      this.key = crypto.randomUUID();
    }
    return this.key;
  }
}
