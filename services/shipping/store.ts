import { nowIso, openDatabase, type Db } from '../common/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS shipments (
  shipment_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  carrier TEXT NOT NULL,
  tracking_number TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'in_transit', 'delivered')),
  booked_at TEXT NOT NULL,
  expected_delivery_at TEXT NOT NULL,
  dispatched_at TEXT,
  delivered_at TEXT
);
`;

export interface Shipment {
  shipmentId: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  label: string;
  status: 'booked' | 'in_transit' | 'delivered';
  bookedAt: string;
  expectedDeliveryAt: string;
  dispatchedAt: string | null;
  deliveredAt: string | null;
}

const COLUMNS = `shipment_id AS shipmentId, order_id AS orderId, carrier, tracking_number AS trackingNumber, label, status,
  booked_at AS bookedAt, expected_delivery_at AS expectedDeliveryAt, dispatched_at AS dispatchedAt, delivered_at AS deliveredAt`;

/** The shipping service's own data: one row per shipment, from booking to delivery. */
export class ShippingStore {
  readonly db: Db;

  constructor(file: string) {
    this.db = openDatabase(file, SCHEMA);
  }

  /** Saves a booking once; booking the same shipment again returns the first booking. */
  book(shipment: Omit<Shipment, 'status' | 'bookedAt' | 'dispatchedAt' | 'deliveredAt'>): Shipment {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO shipments (shipment_id, order_id, carrier, tracking_number, label, status, booked_at, expected_delivery_at)
         VALUES (?, ?, ?, ?, ?, 'booked', ?, ?)`,
      )
      .run(shipment.shipmentId, shipment.orderId, shipment.carrier, shipment.trackingNumber, shipment.label, nowIso(), shipment.expectedDeliveryAt);
    return this.shipment(shipment.shipmentId)!;
  }

  /** The parcel left the warehouse. Recording it again, or after delivery, changes nothing. */
  markDispatched(shipmentId: string, at: string = nowIso()): Shipment {
    this.db
      .prepare(`UPDATE shipments SET status = 'in_transit', dispatched_at = ? WHERE shipment_id = ? AND status = 'booked'`)
      .run(at, shipmentId);
    return this.shipment(shipmentId)!;
  }

  /** The parcel arrived. Only the first report of delivery counts. */
  markDelivered(shipmentId: string, at: string = nowIso()): Shipment {
    this.db
      .prepare(`UPDATE shipments SET status = 'delivered', delivered_at = ? WHERE shipment_id = ? AND status <> 'delivered'`)
      .run(at, shipmentId);
    return this.shipment(shipmentId)!;
  }

  shipment(shipmentId: string): Shipment | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE shipment_id = ?`).get(shipmentId) as Shipment | undefined;
  }

  shipmentsForOrder(orderId: string): Shipment[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE order_id = ? ORDER BY booked_at`).all(orderId) as Shipment[];
  }

  /** Every order a shipment was booked for. */
  orderIds(): string[] {
    return this.db.prepare('SELECT DISTINCT order_id FROM shipments ORDER BY order_id').pluck().all() as string[];
  }

  close(): void {
    this.db.close();
  }
}
