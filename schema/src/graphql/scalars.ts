import { DateTimeResolver, SafeIntResolver } from "graphql-scalars";

/** ISO-8601 date-times (serialized from `Date`). */
export const DateTimeScalar = DateTimeResolver;
/** Integers up to 2^53-1: byte sizes exceed GraphQL's 32-bit `Int`. */
export const SafeIntScalar = SafeIntResolver;
