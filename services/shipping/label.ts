import type { ShippingAddress } from '../../workflows/types';

/** The text printed on a parcel's label. */
export function formatLabel(trackingNumber: string, address: ShippingAddress): string {
  return [
    address.name,
    address.line1,
    `${address.postalCode} ${address.city}`,
    address.country.toUpperCase(),
    `TRACKING ${trackingNumber}`,
  ].join('\n');
}
