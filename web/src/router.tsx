import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

/** A few client routes on the History API; the server answers every one of them with index.html. */
export type Route =
  | { readonly name: "login" }
  | { readonly name: "signup" }
  | { readonly name: "videos" }
  | { readonly name: "video"; readonly id: string }
  | { readonly name: "notFound" };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "/videos") return { name: "videos" };
  if (pathname === "/login") return { name: "login" };
  if (pathname === "/signup") return { name: "signup" };
  const m = /^\/videos\/([^/]+)$/.exec(pathname);
  if (m?.[1]) return { name: "video", id: decodeURIComponent(m[1]) };
  return { name: "notFound" };
}

const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  window.addEventListener("popstate", l);
  return () => {
    listeners.delete(l);
    window.removeEventListener("popstate", l);
  };
};

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  listeners.forEach((l) => l());
  window.scrollTo?.(0, 0);
}

export function useLocation(): string {
  return useSyncExternalStore(
    subscribe,
    () => location.pathname + location.search,
    () => "/",
  );
}

/** An <a> that navigates in place (modified clicks still open a new tab). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={onClick} />;
}

export const videoPath = (id: string) => `/videos/${encodeURIComponent(id)}`;
