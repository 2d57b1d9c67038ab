import type { JobStatus, VideoStatus } from "@vp/domain";
import { ArgsType, Field, Int } from "type-graphql";
import { JobStatusEnum, VideoStatusEnum } from "./enums.js";

export const DEFAULT_PAGE_SIZE = 20;

/** Relay forward pagination, shared by every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: "1..100" })
  first!: number;

  @Field(() => String, { nullable: true })
  after!: string | null;
}

@ArgsType()
export class VideoListArgs extends PageArgs {
  @Field(() => VideoStatusEnum, { nullable: true })
  status!: VideoStatus | null;
}

@ArgsType()
export class JobListArgs extends PageArgs {
  @Field(() => JobStatusEnum, { nullable: true })
  status!: JobStatus | null;
}
