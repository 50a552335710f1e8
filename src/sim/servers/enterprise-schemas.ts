/**
 * What the demo plant's enterprise systems accept: the bodies of ERP confirmations, CMMS maintenance orders, QMS
 * nonconformances and WMS moves. Required fields are checked; extra fields are kept, as the real systems' APIs
 * tolerate them (the layer may send context we do not model).
 */
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ minLength: 1, maxLength: 2000 });
const Id = Type.String({ minLength: 1, maxLength: 128 });
const DateTime = Type.String({ format: 'date-time' });

/** An ERP operation confirmation. */
export const ConfirmationSchema = Type.Object(
  {
    workOrder: Id,
    operation: Type.Integer({ minimum: 1 }),
    equipment: Type.Optional(Id),
    good: Type.Integer({ minimum: 0 }),
    scrap: Type.Optional(Type.Integer({ minimum: 0 })),
    final: Type.Optional(Type.Boolean({ description: 'The operation is finished.' })),
    confirmedAt: Type.Optional(DateTime),
  },
  { additionalProperties: true },
);
export type Confirmation = Static<typeof ConfirmationSchema>;

/** A CMMS maintenance order. */
export const MaintenanceOrderSchema = Type.Object(
  {
    equipment: Id,
    description: Text,
    priority: Type.Optional(Type.Union(['low', 'medium', 'high', 'emergency'].map((value) => Type.Literal(value)))),
    type: Type.Optional(Type.Union(['corrective', 'preventive', 'predictive'].map((value) => Type.Literal(value)))),
    requestedBy: Type.Optional(Id),
    dueBy: Type.Optional(DateTime),
  },
  { additionalProperties: true },
);
export type MaintenanceOrder = Static<typeof MaintenanceOrderSchema>;

/** A QMS nonconformance. */
export const NonconformanceSchema = Type.Object(
  {
    description: Text,
    equipment: Type.Optional(Id),
    workOrder: Type.Optional(Id),
    serial: Type.Optional(Id),
    lot: Type.Optional(Id),
    characteristic: Type.Optional(Id),
    severity: Type.Optional(Type.Union(['minor', 'major', 'critical'].map((value) => Type.Literal(value)))),
    quantity: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: true },
);
export type Nonconformance = Static<typeof NonconformanceSchema>;

/** A WMS material move. */
export const MoveSchema = Type.Object(
  {
    material: Id,
    quantity: Type.Number({ exclusiveMinimum: 0 }),
    from: Type.Optional(Id),
    to: Type.String({ minLength: 1, maxLength: 128, description: 'A line id (e.g. line-2) or a storage location.' }),
    workOrder: Type.Optional(Id),
  },
  { additionalProperties: true },
);
export type Move = Static<typeof MoveSchema>;
