/** What analysis produces: normalised terms with positions and exact source offsets. */

export type SegmenterName = 'nodejieba' | 'node-rs';

export interface Token {
  /** Normalised term (NFKC, lowercase, Simplified Chinese). */
  term: string;
  /** Word position from the precise segmentation; search-mode sub-words share the position of the word covering them; stop words are dropped but still consume a position. */
  position: number;
  /** UTF-16 offsets into the ORIGINAL (un-normalised) text: text.slice(start, end) is the token's source. */
  start: number;
  end: number;
}

/** The tokens' terms and positions without their source offsets, in the order analyze() gives them. */
export interface TermPositions {
  terms: string[];
  positions: number[];
}

/**
 * A numbering of the terms one analyzer meets (Analyzer.vocabulary), for indexing: each distinct word is worked out
 * once (stop word or not, its sub-words) and every later occurrence costs one lookup of its text.
 */
export interface Vocabulary {
  /** Terms numbered so far. */
  readonly size: number;
  /** Times trim() forgot every term: a number given before then means nothing after. */
  readonly generation: number;
  /**
   * terms() of `text` with each term as its number here (numbered when new): views valid until the next call, the
   * count of tokens and, for each, its term's number and its position (positions never decrease).
   */
  termIds(text: string): { count: number; ids: Int32Array; positions: Int32Array };
  term(id: number): string;
  /** Forgets every term once it holds too many (bounded memory); call it where no number of it is in use. */
  trim(): void;
}

export interface AnalyzerIdentity {
  segmenter: SegmenterName;
  /** Version of the segmenter package. */
  version: string;
  /** Hash over the dictionaries (built-in + user dictionary) and stop words. */
  dictHash: string;
  /** Version tag of our own normalisation/tokenisation rules; bump when they change. */
  rules: string;
}

export interface Analyzer {
  readonly identity: AnalyzerIdentity;
  /** Index-time analysis of one field's text. */
  analyze(text: string): Token[];
  /** The same tokens' terms and positions only: what the index keeps, without the cost of source offsets. */
  terms(text: string): TermPositions;
  /** A new, empty numbering of the terms this analyzer gives (one per thread that indexes). */
  vocabulary(): Vocabulary;
  /** Query-time analysis; the same tokens as analyze() for the same text. */
  analyzeQuery(text: string): Token[];
  /** Normalise a string the way terms are normalised (for filters, suggestions). */
  normalize(text: string): string;
  /**
   * Whether normalize(text) has a term of PLAIN_TERM characters (CJK ideographs, ASCII lowercase letters, digits)
   * exactly where text.toLowerCase() has it, at the same offsets; false when it cannot tell.
   */
  keepsTermCharacters(text: string): boolean;
  /** The user dictionary in use (its folder also holds synonyms.txt), if any. */
  readonly userDictPath?: string;
}

export interface AnalyzerOptions {
  segmenter?: SegmenterName;
  /** jieba-format user dictionary (default: corpus/dict.txt of the repo if present). */
  userDictPath?: string;
  /** Replaces the default Chinese + English stop-word list. */
  stopWords?: string[];
}
