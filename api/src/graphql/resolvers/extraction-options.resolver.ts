import { requestedMode, type ExtractionOptions, type RequestedMode, type TimestampUnit } from "@vp/domain";
import { ExtractionOptionsType, SamplingModeEnum, TimestampUnitEnum } from "@vp/schema";
import { FieldResolver, Float, Int, Resolver, Root } from "type-graphql";

/**
 * The domain's options are a union by mode; GraphQL shows them flat, as they were sent: each mode's
 * fields are null outside their mode, and `timestampUnit` is SECONDS unless TIMESTAMPS says otherwise.
 */
@Resolver(() => ExtractionOptionsType)
export class ExtractionOptionsResolver {
  /** BEST is stored as COUNT with the BEST pick (domain/src/extraction-options.ts); shown as it was asked. */
  @FieldResolver(() => SamplingModeEnum)
  mode(@Root() o: ExtractionOptions): RequestedMode {
    return requestedMode(o);
  }

  @FieldResolver(() => Boolean)
  includeFrames(@Root() o: ExtractionOptions): boolean {
    return o.includeFrames ?? true;
  }

  @FieldResolver(() => Float, { nullable: true })
  intervalSeconds(@Root() o: ExtractionOptions): number | null {
    return o.mode === "INTERVAL" ? o.intervalSeconds : null;
  }

  @FieldResolver(() => Int, { nullable: true })
  count(@Root() o: ExtractionOptions): number | null {
    return o.mode === "COUNT" ? o.count : null;
  }

  @FieldResolver(() => [Float], { nullable: true })
  timestamps(@Root() o: ExtractionOptions): number[] | null {
    return o.mode === "TIMESTAMPS" ? o.timestamps : null;
  }

  @FieldResolver(() => TimestampUnitEnum)
  timestampUnit(@Root() o: ExtractionOptions): TimestampUnit {
    return o.mode === "TIMESTAMPS" ? o.timestampUnit : "SECONDS";
  }

  @FieldResolver(() => Float, { nullable: true })
  sceneThreshold(@Root() o: ExtractionOptions): number | null {
    return o.mode === "SCENES" ? (o.sceneThreshold ?? null) : null;
  }

  @FieldResolver(() => Float, { nullable: true })
  sceneMinGapSeconds(@Root() o: ExtractionOptions): number | null {
    return o.mode === "SCENES" ? (o.sceneMinGapSeconds ?? null) : null;
  }
}
