import {
  getOperationAST,
  GraphQLError,
  Kind,
  Lexer,
  OperationTypeNode,
  Source,
  TokenKind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { ERROR_CODES } from "../errors.js";

/** What a document may contain, checked before validation and execution (HTTP and WebSocket alike). */
export interface OperationLimits {
  readonly maxTokens: number;
  readonly maxAliases: number;
  readonly maxRootMutationFields: number;
  readonly maxDirectives: number;
  /** False: `__schema` and `__type` are refused (`__typename` stays allowed). */
  readonly introspection: boolean;
}

/**
 * Refuses a source with more than `maxTokens` lexical tokens (extensions.code QUERY_TOO_LARGE).
 * Lexes at most maxTokens + 1 tokens, so a 1 MB bomb costs as much as a maxTokens document.
 * (graphql's `parse(source, { maxTokens })` says the same but as a plain syntax error.)
 */
export function checkTokenCount(source: string, maxTokens: number): GraphQLError | null {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > maxTokens)
        return new GraphQLError(
          `The document has more than ${maxTokens} tokens, the maximum allowed. Send a smaller operation.`,
          { extensions: { code: ERROR_CODES.QUERY_TOO_LARGE, maxTokens } },
        );
    }
  } catch {
    // A syntax error: parse reports it with its location.
  }
  return null;
}

/**
 * Counts of the selected operation with fragments expanded (each fragment counted once per use,
 * memoized, so the count is linear in the document however fragments nest), and directives of the
 * whole document. Errors carry extensions.code TOO_MANY_ALIASES, TOO_MANY_ROOT_MUTATION_FIELDS,
 * TOO_MANY_DIRECTIVES or INTROSPECTION_DISABLED.
 */
export function checkOperationLimits(
  document: DocumentNode,
  operationName: string | null | undefined,
  limits: OperationLimits,
): GraphQLError | null {
  let directives = 0;
  let introspects = false;
  visit(document, {
    Directive() {
      directives++;
    },
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type") introspects = true;
    },
  });
  if (directives > limits.maxDirectives)
    return new GraphQLError(
      `The document has ${directives} directives; the maximum allowed is ${limits.maxDirectives}.`,
      { extensions: { code: ERROR_CODES.TOO_MANY_DIRECTIVES, count: directives, max: limits.maxDirectives } },
    );
  if (introspects && !limits.introspection)
    return new GraphQLError("Introspection is disabled on this server (`__schema`, `__type`).", {
      extensions: { code: ERROR_CODES.INTROSPECTION_DISABLED },
    });

  // Several operations without a name, or an unknown name: validation and execution say so.
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const counter = new Counter(fragments);

  if (operation.operation === OperationTypeNode.MUTATION) {
    const roots = counter.rootFields(operation.selectionSet);
    if (roots > limits.maxRootMutationFields)
      return new GraphQLError(
        `The mutation has ${roots} root fields; at most ${limits.maxRootMutationFields} may run in one operation. Send them as separate requests.`,
        {
          extensions: {
            code: ERROR_CODES.TOO_MANY_ROOT_MUTATION_FIELDS,
            count: roots,
            max: limits.maxRootMutationFields,
          },
        },
      );
  }
  const aliases = counter.aliases(operation.selectionSet);
  if (aliases > limits.maxAliases)
    return new GraphQLError(
      `The operation has ${aliases} aliased or repeated fields; the maximum allowed is ${limits.maxAliases}.`,
      { extensions: { code: ERROR_CODES.TOO_MANY_ALIASES, count: aliases, max: limits.maxAliases } },
    );
  return null;
}

/**
 * Counting over fragment expansions, with each fragment's count memoized (cycles count 0:
 * validation refuses them). "Aliases" are aliased fields plus fields repeated under the same
 * response name in one selection set (after inline fragments and spreads are merged in): both make
 * one request do the same work again, and repeated fields are what graphql's overlap validation
 * compares pairwise (1,250 copies of `viewer { id }` take it half a second).
 */
class Counter {
  private readonly aliasMemo = new Map<string, number>();
  private readonly rootMemo = new Map<string, number>();
  private readonly namesMemo = new Map<string, ReadonlyMap<string, number>>();
  private readonly active = new Set<string>();

  constructor(private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>) {}

  aliases(set: SelectionSetNode | undefined): number {
    if (set === undefined) return 0;
    let n = 0;
    for (const count of this.responseNames(set).values()) n += count - 1;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += (s.alias ? 1 : 0) + this.aliases(s.selectionSet);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += this.nestedAliases(s.selectionSet);
      else n += this.viaFragment(s.name.value, this.aliasMemo, (f) => this.nestedAliases(f.selectionSet));
    }
    return n;
  }

  rootFields(set: SelectionSetNode): number {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += s.name.value === "__typename" ? 0 : 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += this.rootFields(s.selectionSet);
      else n += this.viaFragment(s.name.value, this.rootMemo, (f) => this.rootFields(f.selectionSet));
    }
    return n;
  }

  /** Aliases of a fragment's fields, without its own top-level repeats (the enclosing set counts those). */
  private nestedAliases(set: SelectionSetNode): number {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += (s.alias ? 1 : 0) + this.aliases(s.selectionSet);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += this.nestedAliases(s.selectionSet);
      else n += this.viaFragment(s.name.value, this.aliasMemo, (f) => this.nestedAliases(f.selectionSet));
    }
    return n;
  }

  /** How many times each response name is selected in a set, fragments merged in. */
  private responseNames(set: SelectionSetNode): ReadonlyMap<string, number> {
    const names = new Map<string, number>();
    const merge = (from: ReadonlyMap<string, number>) => {
      for (const [name, count] of from)
        names.set(name, Math.min(Number.MAX_SAFE_INTEGER, (names.get(name) ?? 0) + count));
    };
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = (s.alias ?? s.name).value;
        names.set(name, (names.get(name) ?? 0) + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) merge(this.responseNames(s.selectionSet));
      else {
        const name = s.name.value;
        const known = this.namesMemo.get(name);
        if (known !== undefined) merge(known);
        else {
          const fragment = this.fragments.get(name);
          if (fragment === undefined || this.active.has(name)) continue;
          this.active.add(name);
          const inner = this.responseNames(fragment.selectionSet);
          this.active.delete(name);
          this.namesMemo.set(name, inner);
          merge(inner);
        }
      }
    }
    return names;
  }

  private viaFragment(name: string, memo: Map<string, number>, count: (f: FragmentDefinitionNode) => number): number {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (fragment === undefined || this.active.has(name)) return 0;
    this.active.add(name);
    const n = count(fragment);
    this.active.delete(name);
    memo.set(name, n);
    return n;
  }
}
