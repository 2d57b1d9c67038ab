import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { ERROR_CODES } from "../errors.js";

/**
 * Depth of a selection set: fields nest, fragments do not add a level. Introspection fields
 * (`__schema`, `__type`, `__typename`) are skipped so GraphiQL's introspection always passes.
 */
export function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: ReadonlySet<string> = new Set(),
): number {
  if (selectionSet === undefined) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      depth = 1 + selectionDepth(selection.selectionSet, fragments, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Cycles are reported by graphql's own NoFragmentCycles rule.
      if (fragment === undefined || visiting.has(name)) continue;
      depth = selectionDepth(fragment.selectionSet, fragments, new Set([...visiting, name]));
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

export function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) map.set(def.name.value, def);
  return map;
}

/** Refuses operations nested deeper than `maxDepth` fields (extensions.code QUERY_TOO_DEEP). */
export function createDepthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = selectionDepth(operation.selectionSet, fragmentsOf(context));
      if (depth > maxDepth) {
        const name = operation.name ? `Operation "${operation.name.value}"` : "The operation";
        context.reportError(
          new GraphQLError(`${name} is ${depth} levels deep; the maximum allowed depth is ${maxDepth}.`, {
            nodes: [operation],
            extensions: { code: ERROR_CODES.QUERY_TOO_DEEP, depth, maxDepth },
          }),
        );
      }
    },
  });
}
