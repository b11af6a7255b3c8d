// The workflow bundle's entry point: every workflow type the workers run.
export { OrderWorkflow } from './order';
export { ShipmentWorkflow } from './shipment';
