import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The API reference at /docs: Swagger UI served from node_modules (no CDN), reading /v1/openapi.json. */
const assetsDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>VitaSync API reference</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// A file of its own rather than an inline script, so the page works under a strict Content-Security-Policy.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  persistAuthorization: true,
  displayOperationId: true,
});`;

export async function serveDocs(pathname: string): Promise<Response | null> {
  if (pathname === '/docs' || pathname === '/docs/') return new Response(PAGE, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  if (pathname === '/docs/init.js') return new Response(INIT, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  const name = pathname.slice('/docs/'.length);
  const type = ASSETS[name];
  if (!type) return null;
  return new Response(await readFile(join(assetsDir, name)), {
    headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' },
  });
}
