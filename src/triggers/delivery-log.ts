export type { DeliveryLog } from "../jobs/delivery-log.ts";
