import type { ApiRoute } from '../functions/routes';

export interface RouteMatch {
  route: ApiRoute;
  routeKey: string;
  pathParameters: Record<string, string>;
}

/** Matches request paths against API Gateway path templates (`/v1/contacts/{id}`), as HTTP API does. */
export function createRouteMatcher(routes: readonly ApiRoute[]) {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const pattern = route.path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1]);
        return '([^/]+)';
      })
      .join('/');
    // Literal segments first, so `/v1/contacts/import` wins over `/v1/contacts/{id}`.
    const literalSegments = route.path.split('/').filter((s) => !s.startsWith('{')).length;
    return { route, names, regex: new RegExp(`^${pattern}$`), literalSegments };
  });
  compiled.sort((a, b) => b.literalSegments - a.literalSegments);

  return (method: string, path: string): RouteMatch | undefined => {
    for (const { route, names, regex } of compiled) {
      if (route.method !== method) continue;
      const match = regex.exec(path);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        const raw = match[i + 1] ?? '';
        try {
          pathParameters[name] = decodeURIComponent(raw);
        } catch {
          pathParameters[name] = raw;
        }
      });
      return { route, routeKey: `${route.method} ${route.path}`, pathParameters };
    }
    return undefined;
  };
}
