/** The word segmenter behind the analyzer: jieba, from one of two packages. */
import type { SegmenterName } from './types.js';

export interface Segmenter {
  readonly name: SegmenterName;
  /** Version of the package, from its package.json. */
  readonly version: string;
  /** Built-in dictionary files the segmentation depends on (hashed into the analyzer identity). */
  readonly dictionaryFiles: readonly string[];
  /** Precise mode with HMM for unknown words; the pieces concatenate back to `text`. */
  cut(text: string): string[];
  /** Full mode: the dictionary words found inside `text`, in order of their start. */
  cutAll(text: string): string[];
}
