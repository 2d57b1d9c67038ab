/** One file a preview adds to the archive. */
export interface PreviewFile {
  readonly name: string;
  readonly data: Buffer;
}
