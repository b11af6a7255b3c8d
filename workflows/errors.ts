/**
 * Business failures: the answer will not change on retry, so activities raise them as
 * non-retryable ApplicationFailures and the workflow compensates instead of retrying.
 */
export const BusinessErrors = {
  CardDeclined: 'CardDeclined',
  OutOfStock: 'OutOfStock',
  UnknownSku: 'UnknownSku',
  InvalidOrder: 'InvalidOrder',
  AddressNotServed: 'AddressNotServed',
  ShipmentLost: 'ShipmentLost',
} as const;

export type BusinessError = (typeof BusinessErrors)[keyof typeof BusinessErrors];
