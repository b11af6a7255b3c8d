// The workflow bundle's entry point: every workflow type the workers run.
export { OrderWorkflow } from './order';
export { RestockWorkflow } from './restock';
export { ShipmentWorkflow } from './shipment';
export { StockLevelsWorkflow } from './stock-levels';
