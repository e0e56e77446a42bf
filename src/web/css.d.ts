/** Stylesheets imported as text (esbuild's text loader), e.g. the embeddable box's own styles. */
declare module '*.css' {
  const text: string;
  export default text;
}
