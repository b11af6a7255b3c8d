import type { ShippingAddress } from '../../workflows/types';

/**
 * The text printed on a parcel's label. `withBug` is the live demo's bugged build: the same
 * code with a defect switched on, a crash on the address's missing second line.
 */
export function formatLabel(trackingNumber: string, address: ShippingAddress, withBug = false): string {
  const street = withBug ? (address as ShippingAddress & { line2?: string }).line2!.trim() : address.line1;
  return [address.name, street, `${address.postalCode} ${address.city}`, address.country.toUpperCase(), `TRACKING ${trackingNumber}`].join('\n');
}
