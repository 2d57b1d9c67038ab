import { pino, type Logger } from "pino";

/** JSON logs on stdout; every line of a request or job carries its id through child loggers. */
export const createLogger = (level: string): Logger =>
  pino({ level, base: { service: "video-processor" }, timestamp: pino.stdTimeFunctions.isoTime });
