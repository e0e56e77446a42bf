/** The server route that shows an article: `/articles/` + each id segment percent-encoded. */
export function articleUrl(id: string): string {
  return '/articles/' + id.split('/').map(encodeURIComponent).join('/');
}
