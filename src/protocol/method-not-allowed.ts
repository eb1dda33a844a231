/**
 * 405 for a path the app serves with another method (RFC 9110 §15.5.6: with an `Allow` header), instead
 * of a 404 that says the path does not exist. The allowed methods are read from the app's own routes,
 * so a route added later is covered without a table to keep in step.
 */
import type { RequestHandler, Router } from 'express';
import { MethodNotAllowedError } from './errors.js';

/** The part of a router layer this reads (the `router` package, express 5). */
interface RouteLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  readonly match: (path: string) => boolean;
}

/**
 * The methods the router's routes answer on `path`, upper case; HEAD wherever GET is (express answers it).
 * @param router - the app's router (`app.router`)
 * @param path - the request path
 */
export function allowedMethods(router: Router, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of router.stack as unknown as RouteLayer[]) {
    if (layer.route === undefined || !layer.match(path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * Middleware placed after every route and before the 404: answers 405 with `Allow` when another method
 * of the request's path is served.
 * @param router - the app's router (`app.router`)
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, _res, next) => {
    const allowed = allowedMethods(router, req.path);
    if (allowed.length === 0) {
      next();
      return;
    }
    throw new MethodNotAllowedError(allowed);
  };
}
