/**
 * Article ids are corpus-relative paths (`新媒体/36kr/快讯/x.md`), so they contain `/` and any
 * character a file name can hold. In URLs each segment is percent-encoded on its own and the
 * segments are joined by `/` (Article.url: `/articles/<encoded id>`); a wildcard route takes the
 * rest of the path. Ids are only ever looked up in the loaded index, never used as file paths.
 */

/** The id from a wildcard route's segments (express decodes each one; an encoded `%2F` inside a segment also yields `/`). */
export function idFromSegments(segments: string | string[]): string {
  return Array.isArray(segments) ? segments.join('/') : segments;
}
