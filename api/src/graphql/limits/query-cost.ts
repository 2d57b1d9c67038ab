import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { MAX_PAGE_SIZE } from "@vp/domain";
import { ERROR_CODES } from "../errors.js";

/**
 * Static cost: 1 per field, and a list field taking `first` multiplies its children's cost by
 * it (a page of 100 videos each with 100 jobs costs ~10 000). Variables are known here, so a
 * client's `first: $n` is charged what it asks for. Introspection is free.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return selectionCost(schema, root, operation.selectionSet, fragments, variables ?? {}, new Set());
}

function selectionCost(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  visiting: ReadonlySet<string>,
): number {
  if (selectionSet === undefined) return 0;
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name.startsWith("__")) continue;
      const field = fieldOf(parent, name);
      if (field === undefined) {
        total += 1;
        continue;
      }
      const childType = getNamedType(field.type);
      const children = isCompositeType(childType)
        ? selectionCost(schema, childType, selection.selectionSet, fragments, variables, visiting)
        : 0;
      total += 1 + multiplier(field, selection.arguments ?? [], variables) * children;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName ? schema.getType(typeName) : parent;
      if (type && isCompositeType(type))
        total += selectionCost(schema, type, selection.selectionSet, fragments, variables, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment === undefined || visiting.has(name)) continue;
      const type = schema.getType(fragment.typeCondition.name.value);
      if (type && isCompositeType(type))
        total += selectionCost(schema, type, fragment.selectionSet, fragments, variables, new Set([...visiting, name]));
    }
  }
  return total;
}

/** Unions have no fields of their own (only __typename, skipped above). */
function fieldOf(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function multiplier(
  field: GraphQLField<unknown, unknown>,
  args: ReadonlyArray<{
    readonly name: { readonly value: string };
    readonly value: ValueNode;
  }>,
  variables: Readonly<Record<string, unknown>>,
): number {
  const def = field.args.find((a) => a.name === "first");
  if (def === undefined) return 1;
  const node = args.find((a) => a.name.value === "first");
  let value: unknown = def.defaultValue;
  if (node !== undefined) {
    value =
      node.value.kind === Kind.VARIABLE
        ? (variables[node.value.name.value] ?? def.defaultValue)
        : valueFromAST(node.value, def.type, variables);
  }
  // Out-of-range values are refused by the resolver; charge the maximum meanwhile.
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE_SIZE
    ? value
    : MAX_PAGE_SIZE;
}

/** Null when the operation is within budget, else the error to answer with (extensions.code QUERY_TOO_COSTLY). */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  maxCost: number,
): GraphQLError | null {
  const cost = queryCost(schema, document, operationName, variables);
  if (cost <= maxCost) return null;
  return new GraphQLError(
    `The operation costs ${cost}, over the maximum of ${maxCost}. Ask for fewer items (\`first\`) or fewer nested fields.`,
    { extensions: { code: ERROR_CODES.QUERY_TOO_COSTLY, cost, maxCost } },
  );
}
