import {
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
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
 * client's `first: $n` is charged what it asks for. `__typename` is free.
 *
 * Introspection (`__schema`, `__type`) is charged too, on its own budget: its lists multiply by
 * their real largest size in this schema (`types` by the number of types, `fields` by the most
 * fields any type has, ...), and one operation may spend at most what the standard full
 * introspection query (GraphiQL's) costs. So GraphiQL introspects once per operation, and aliased
 * or re-nested introspection (`types { fields { type { fields ... } } }`) is refused.
 */
export interface OperationCost {
  /** Cost of everything but introspection; bounded by VP_GRAPHQL_MAX_COST. */
  readonly cost: number;
  /** Cost of `__schema` / `__type` selections; bounded by one full introspection. */
  readonly introspectionCost: number;
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): OperationCost {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return { cost: 0, introspectionCost: 0 };
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, introspectionCost: 0 };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const walk: Walk = { schema, fragments, variables: variables ?? {}, sizes: introspectionSizes(schema) };
  const [cost, introspectionCost] = selectionCost(walk, root, operation.selectionSet, new Set(), false);
  return { cost, introspectionCost };
}

/** The non-introspection cost (see operationCost). */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  return operationCost(schema, document, operationName, variables).cost;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly sizes: ReadonlyMap<string, number>;
}

/** Largest length of each introspection list in this schema, keyed `Type.field`. */
const sizesBySchema = new WeakMap<GraphQLSchema, ReadonlyMap<string, number>>();
function introspectionSizes(schema: GraphQLSchema): ReadonlyMap<string, number> {
  const cached = sizesBySchema.get(schema);
  if (cached) return cached;
  const types = Object.values(schema.getTypeMap());
  const max = (values: number[]) => Math.max(1, ...values);
  const fieldLists = types.flatMap((t) =>
    isObjectType(t) || isInterfaceType(t) ? [Object.values(t.getFields())] : [],
  );
  const maxArgs = max([
    ...fieldLists.flatMap((fields) => fields.map((f) => f.args.length)),
    ...schema.getDirectives().map((d) => d.args.length),
  ]);
  const sizes = new Map<string, number>([
    ["__Schema.types", types.length],
    ["__Schema.directives", max([schema.getDirectives().length])],
    ["__Type.fields", max(fieldLists.map((f) => f.length))],
    ["__Type.inputFields", max(types.map((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0)))],
    ["__Type.enumValues", max(types.map((t) => (isEnumType(t) ? t.getValues().length : 0)))],
    [
      "__Type.interfaces",
      max(types.map((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0))),
    ],
    ["__Type.possibleTypes", max(types.map((t) => (isAbstractType(t) ? schema.getPossibleTypes(t).length : 0)))],
    ["__Field.args", maxArgs],
    ["__Directive.args", maxArgs],
  ]);
  sizesBySchema.set(schema, sizes);
  return sizes;
}

/** What one full introspection (every option of graphql's getIntrospectionQuery on) costs in this schema. */
const budgetBySchema = new WeakMap<GraphQLSchema, number>();
export function introspectionBudget(schema: GraphQLSchema): number {
  let budget = budgetBySchema.get(schema);
  if (budget === undefined) {
    const full = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    budget = operationCost(schema, parse(full), null, null).introspectionCost;
    budgetBySchema.set(schema, budget);
  }
  return budget;
}

/** [cost, introspection cost] of a selection set. */
function selectionCost(
  walk: Walk,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode | undefined,
  visiting: ReadonlySet<string>,
  inIntrospection: boolean,
): [number, number] {
  if (selectionSet === undefined) return [0, 0];
  let total = 0;
  let introspection = 0;
  const add = ([c, i]: [number, number]) => {
    total += c;
    introspection += i;
  };
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === "__typename") continue;
      const meta = name === "__schema" ? SchemaMetaFieldDef : name === "__type" ? TypeMetaFieldDef : undefined;
      const field = meta ?? fieldOf(parent, name);
      const introspective = inIntrospection || meta !== undefined;
      if (field === undefined) {
        add(introspective ? [0, 1] : [1, 0]);
        continue;
      }
      const childType = getNamedType(field.type);
      const [childCost, childIntrospection] = isCompositeType(childType)
        ? selectionCost(walk, childType, selection.selectionSet, visiting, introspective)
        : [0, 0];
      const times = introspective
        ? introspectionMultiplier(walk, parent, field)
        : multiplier(field, selection.arguments ?? [], walk.variables);
      if (introspective) introspection += 1 + times * (childCost + childIntrospection);
      else add([1 + times * childCost, times * childIntrospection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName ? walk.schema.getType(typeName) : parent;
      if (type && isCompositeType(type))
        add(selectionCost(walk, type, selection.selectionSet, visiting, inIntrospection));
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (fragment === undefined || visiting.has(name)) continue;
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      if (type && isCompositeType(type))
        add(selectionCost(walk, type, fragment.selectionSet, new Set([...visiting, name]), inIntrospection));
    }
  }
  return [total, introspection];
}

/** Introspection lists multiply by their largest real size in the schema; everything else by 1. */
function introspectionMultiplier(
  walk: Walk,
  parent: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
): number {
  if (!isIntrospectionType(parent) || !isListType(getNullableType(field.type))) return 1;
  return walk.sizes.get(`${parent.name}.${field.name}`) ?? 1;
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

/**
 * Null when the operation is within budget, else the error to answer with (extensions.code
 * QUERY_TOO_COSTLY, or INTROSPECTION_TOO_COSTLY for more than one full introspection).
 */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  maxCost: number,
): GraphQLError | null {
  const { cost, introspectionCost } = operationCost(schema, document, operationName, variables);
  if (cost > maxCost)
    return new GraphQLError(
      `The operation costs ${cost}, over the maximum of ${maxCost}. Ask for fewer items (\`first\`) or fewer nested fields.`,
      { extensions: { code: ERROR_CODES.QUERY_TOO_COSTLY, cost, maxCost } },
    );
  const maxIntrospectionCost = introspectionBudget(schema);
  if (introspectionCost > maxIntrospectionCost)
    return new GraphQLError(
      `The operation's introspection costs ${introspectionCost}, over one full introspection (${maxIntrospectionCost}). Introspect once per operation.`,
      {
        extensions: {
          code: ERROR_CODES.INTROSPECTION_TOO_COSTLY,
          cost: introspectionCost,
          maxCost: maxIntrospectionCost,
        },
      },
    );
  return null;
}
