// Activities that just return: the benchmark measures Temporal's hops, not the services' work.

export const ordersActivities = {
  async getOrderPolicy(): Promise<void> {},
};
export const inventoryActivities = {
  async reserveStock(): Promise<void> {},
  async commitStock(): Promise<void> {},
};
export const fraudActivities = {
  async screenOrder(): Promise<void> {},
};
export const paymentActivities = {
  async authorizePayment(): Promise<void> {},
  async capturePayment(): Promise<void> {},
};
export const shippingActivities = {
  async bookShipment(): Promise<void> {},
  async trackShipment(): Promise<void> {},
};
export const emailActivities = {
  async sendOrderEmail(): Promise<void> {},
};

/** Each worker's activities, by the service it stands in for. */
export const activitiesOf = {
  orders: ordersActivities,
  inventory: inventoryActivities,
  fraud: fraudActivities,
  payment: paymentActivities,
  shipping: shippingActivities,
  email: emailActivities,
};
