/**
 * A selected draft order as the order-select advice reads it (crs-rules.md section 5). Built by
 * `evidence/classify-draft-orders.ts`; defined here so the recommendation layer never imports evidence code.
 */
import type { MedicationRequest } from 'fhir/r4.js';

/** What the selected order is, for OS1–OS5: anything outside the three lists is `other` (OS5). */
export type DraftOrderKind = 'tocilizumab' | 'corticosteroid' | 'vasopressor' | 'other';

export interface DraftOrder {
  /** The MedicationRequest id (selections name `MedicationRequest/<id>`). */
  readonly id: string;
  readonly kind: DraftOrderKind;
  /** Concept key in its code list (`tocilizumab`, `dexamethasone`, `norepinephrine`); absent for `other`. */
  readonly concept?: string;
  /** Dose per administration in mg, from `doseQuantity` in mg or g; absent when not charted in mass units. */
  readonly doseMg?: number;
  /** The draft as the EHR sent it: OS1 rewrites its dose in an `update` suggestion. */
  readonly resource: MedicationRequest;
}
