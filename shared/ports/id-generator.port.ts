/** Produces opaque, time-sortable ids (ULIDs in production). */
export interface IdGenerator {
  next(): string;
}
