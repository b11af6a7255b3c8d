// The checkout form's own checks, the same rules as the API's schema for POST /orders, so most
// mistakes are shown before a request; the API's 400 is shown the same way, next to its field.

export interface FieldProblem {
  /** The body path, as the API's `field` names it without "body/": "shippingAddress/postalCode". */
  field: string;
  message: string;
}

const SIMPLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Rule = (value: string) => string | undefined;

const required: Rule = (value) => (value === '' ? 'required' : undefined);

const RULES: Record<string, Rule[]> = {
  customerId: [required, (value) => (/^[A-Za-z0-9_.@-]{1,64}$/.test(value) ? undefined : 'letters, digits and _ . @ - only, at most 64')],
  customerEmail: [required, (value) => (SIMPLE_EMAIL.test(value) ? undefined : 'an email address, like ada@example.com')],
  'shippingAddress/name': [required],
  'shippingAddress/line1': [required],
  'shippingAddress/city': [required],
  'shippingAddress/postalCode': [required, (value) => (value.length <= 20 ? undefined : 'at most 20 characters')],
  'shippingAddress/country': [required, (value) => (/^[A-Za-z]{2}$/.test(value) ? undefined : 'a two-letter country code, like GB')],
  paymentToken: [required],
};

/** The problems with the form's values, one per field at most. */
export function checkFields(values: Record<string, string>): FieldProblem[] {
  return Object.entries(RULES).flatMap(([field, rules]) => {
    const message = rules.map((rule) => rule(values[field] ?? '')).find(Boolean);
    return message ? [{ field, message }] : [];
  });
}

/** The POST /orders body from the form's values (keyed by field path) and the cart's items. */
export function orderBody(values: Record<string, string>, items: { sku: string; quantity: number }[]) {
  return {
    customerId: values.customerId,
    customerEmail: values.customerEmail,
    items,
    paymentToken: values.paymentToken,
    shippingAddress: {
      name: values['shippingAddress/name'],
      line1: values['shippingAddress/line1'],
      city: values['shippingAddress/city'],
      postalCode: values['shippingAddress/postalCode'],
      country: values['shippingAddress/country'].toUpperCase(),
    },
  };
}

/** The API's `field` ("body/shippingAddress/postalCode") as a form field path, when it names one. */
export const formField = (apiField: string | undefined): string | undefined => apiField?.replace(/^body\//, '');
