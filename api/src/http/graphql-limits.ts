import { GraphQLError, parse, type DocumentNode } from "graphql";
import type { NextFunction, Request, Response } from "express";
import { checkOperationLimits, checkTokenCount, type OperationLimits } from "../graphql/limits/operation-limits.js";

/**
 * The document limits (tokens, aliases and repeated fields, root mutation fields, directives,
 * introspection switch) for GraphQL over HTTP, checked before Apollo sees the request: Apollo runs
 * graphql's validation rules before any plugin may refuse a request cleanly, and some of those rules
 * grow faster than linearly with the document (1,250 copies of `viewer { id }` cost ~0.5 s of
 * CPU). This parses the document once more, with the token cap, which for documents within the
 * limits takes microseconds. A refusal answers 400 `{ errors: [{ message, extensions: { code } }] }`.
 */
export function graphqlLimitsMiddleware(limits: OperationLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const source = req.method === "GET" ? (req.query as Record<string, unknown>) : (req.body as unknown);
    if (typeof source !== "object" || source === null || Array.isArray(source)) return next();
    const { query, operationName } = source as { query?: unknown; operationName?: unknown };
    if (typeof query !== "string") return next();
    const refuse = (error: GraphQLError) =>
      void res.status(400).json({ errors: [{ message: error.message, extensions: error.extensions }] });
    const tooLarge = checkTokenCount(query, limits.maxTokens);
    if (tooLarge !== null) return refuse(tooLarge);
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch {
      return next(); // Apollo answers the syntax error, with its location.
    }
    const error = checkOperationLimits(document, typeof operationName === "string" ? operationName : null, limits);
    if (error !== null) return refuse(error);
    next();
  };
}
