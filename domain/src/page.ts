/** One page of a newest-first listing. Cursors are opaque to everyone but the adapter that made them. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export interface PageRequest {
  /** 1..100 */
  readonly first: number;
  readonly after?: string | null;
}

export const MAX_PAGE_SIZE = 100;
