import fastifyStatic from "@fastify/static";
import { CONSOLE_ASSETS_DIR } from "@reasonq/console";
import type { FastifyInstance } from "fastify";

/**
 * The web console's page and bundle at `/`, public like any static file: it holds no data,
 * and everything it shows comes from /v1 with the key the user signs in with. The policy
 * lets the page load only its own files and talk only to this origin; inline script is
 * allowed for the batch report it shows in a sandboxed frame (srcdoc inherits the policy),
 * and the console itself renders text only through Preact and markdown-it without HTML.
 */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  app.addHook("onSend", async (_request, reply) => {
    reply.header(
      "content-security-policy",
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-src 'self' about:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });
  await app.register(fastifyStatic, {
    root: CONSOLE_ASSETS_DIR,
    prefix: "/",
    wildcard: false,
    index: "index.html",
    cacheControl: true,
    maxAge: 0,
    schemaHide: true,
  });
}
