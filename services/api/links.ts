import { orderWorkflowId } from '../../workflows/ids';

/** The links every order reply carries, including the order's workflow in the Temporal Web UI. */
export function orderLinker(uiUrl: string, namespace: string) {
  return (orderId: string) => ({
    self: `/orders/${orderId}`,
    events: `/orders/${orderId}/events`,
    history: `/orders/${orderId}/history`,
    webUi: `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(orderWorkflowId(orderId))}`,
  });
}

export type OrderLinker = ReturnType<typeof orderLinker>;
