import { sql } from 'kysely';
import type { Schema, ServiceDatabase } from '../common/database';
import { nowIso } from '../common/time';

export type ShipmentStatus = 'booked' | 'in_transit' | 'delivered';

export interface Shipment {
  shipmentId: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  label: string;
  status: ShipmentStatus;
  bookedAt: string;
  expectedDeliveryAt: string;
  dispatchedAt: string | null;
  deliveredAt: string | null;
}

export interface ShippingTables {
  shipments: {
    shipment_id: string;
    order_id: string;
    carrier: string;
    tracking_number: string;
    label: string;
    status: ShipmentStatus;
    booked_at: string;
    expected_delivery_at: string;
    dispatched_at: string | null;
    delivered_at: string | null;
  };
}

export type ShippingDatabase = ServiceDatabase<ShippingTables>;

/** The shipping database's schema, version by version. */
export const shippingSchema: Schema = {
  service: 'shipping',
  migrations: [
    {
      version: 1,
      name: 'shipments, from booking to delivery',
      async up(db) {
        await db.schema
          .createTable('shipments')
          .ifNotExists()
          .addColumn('shipment_id', 'text', (col) => col.primaryKey())
          .addColumn('order_id', 'text', (col) => col.notNull())
          .addColumn('carrier', 'text', (col) => col.notNull())
          .addColumn('tracking_number', 'text', (col) => col.notNull().unique())
          .addColumn('label', 'text', (col) => col.notNull())
          .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('booked', 'in_transit', 'delivered')`))
          .addColumn('booked_at', 'text', (col) => col.notNull())
          .addColumn('expected_delivery_at', 'text', (col) => col.notNull())
          .addColumn('dispatched_at', 'text')
          .addColumn('delivered_at', 'text')
          .execute();
      },
    },
  ],
};

/** The shipping service's own data: one row per shipment, from booking to delivery. */
export class ShippingStore {
  constructor(readonly database: ShippingDatabase) {}

  private get db() {
    return this.database.db;
  }

  /** Saves a booking once; booking the same shipment again, from any replica, returns the first booking. */
  async book(shipment: Omit<Shipment, 'status' | 'bookedAt' | 'dispatchedAt' | 'deliveredAt'>): Promise<Shipment> {
    await this.db
      .insertInto('shipments')
      .values({
        shipment_id: shipment.shipmentId,
        order_id: shipment.orderId,
        carrier: shipment.carrier,
        tracking_number: shipment.trackingNumber,
        label: shipment.label,
        status: 'booked',
        booked_at: nowIso(),
        expected_delivery_at: shipment.expectedDeliveryAt,
      })
      .onConflict((oc) => oc.column('shipment_id').doNothing())
      .execute();
    return (await this.shipment(shipment.shipmentId))!;
  }

  /** The parcel left the warehouse. Recording it again, or after delivery, changes nothing. */
  async markDispatched(shipmentId: string, at: string = nowIso()): Promise<Shipment> {
    await this.db
      .updateTable('shipments')
      .set({ status: 'in_transit', dispatched_at: at })
      .where('shipment_id', '=', shipmentId)
      .where('status', '=', 'booked')
      .execute();
    return (await this.shipment(shipmentId))!;
  }

  /** The parcel arrived. Only the first report of delivery counts. */
  async markDelivered(shipmentId: string, at: string = nowIso()): Promise<Shipment> {
    await this.db
      .updateTable('shipments')
      .set({ status: 'delivered', delivered_at: at })
      .where('shipment_id', '=', shipmentId)
      .where('status', '<>', 'delivered')
      .execute();
    return (await this.shipment(shipmentId))!;
  }

  async shipment(shipmentId: string): Promise<Shipment | undefined> {
    return this.shipments().where('shipment_id', '=', shipmentId).executeTakeFirst();
  }

  async shipmentsForOrder(orderId: string): Promise<Shipment[]> {
    return this.shipments().where('order_id', '=', orderId).orderBy('booked_at').execute();
  }

  /** Every order a shipment was booked for. */
  async orderIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('shipments').select('order_id').distinct().orderBy('order_id').execute();
    return rows.map((row) => row.order_id);
  }

  close(): Promise<void> {
    return this.database.close();
  }

  private shipments() {
    return this.db
      .selectFrom('shipments')
      .select([
        'shipment_id as shipmentId',
        'order_id as orderId',
        'carrier',
        'tracking_number as trackingNumber',
        'label',
        'status',
        'booked_at as bookedAt',
        'expected_delivery_at as expectedDeliveryAt',
        'dispatched_at as dispatchedAt',
        'delivered_at as deliveredAt',
      ]);
  }
}
