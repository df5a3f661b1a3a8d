import type { DependencyContainer, InjectionToken } from "tsyringe";

/**
 * A kernel-function service: one kernel source file modelled as a class whose methods are its
 * functions. The root container registers the upstream class for the token; a policy changes
 * the kernel the way its patch does by registering a subclass for the same token in its child
 * container. Each subsystem lists its services in one table (perf's PERF_SERVICES, KVM's
 * KVM_SERVICES), from which registration, the ops table type and `show-policy` are derived.
 */
export interface KernelService<K extends string = string, T extends object = object> {
  /** Its name in the subsystem's ops table (env.k for perf, env.kk for KVM). */
  readonly key: K;
  /** The DI token a policy registers its subclass for. */
  readonly token: InjectionToken<T>;
  /** The upstream class (the root container's default). */
  readonly cls: new () => T;
  /** The kernel source file it models. */
  readonly file: string;
}

/** A table row, typed by its key and class. */
export function kernelService<K extends string, T extends object>(
  key: K,
  token: InjectionToken<T>,
  cls: new () => T,
  file: string,
): KernelService<K, T> {
  return Object.freeze({ key, token, cls, file });
}

/** The ops table of a services table: each key to its (resolved) service. */
export type ServicesOf<S extends readonly KernelService[]> = {
  readonly [E in S[number] as E["key"]]: E extends KernelService<string, infer T> ? T : never;
};

/** Register every service of a table with its upstream class (the defaults a policy's registrations override). */
export function registerServices(c: DependencyContainer, table: readonly KernelService[]): DependencyContainer {
  for (const s of table) c.register(s.token, { useClass: s.cls });
  return c;
}

/** Resolve a table's ops table from a (child) container: the policy's subclass where it registered one. */
export function resolveServices<S extends readonly KernelService[]>(c: DependencyContainer, table: S): ServicesOf<S> {
  return Object.fromEntries(table.map((s) => [s.key, c.resolve(s.token)])) as ServicesOf<S>;
}

/** How show-policy and the scaffold name a service: its class and the kernel file it models. */
export function serviceName(s: KernelService): string {
  return `${s.cls.name} (${s.file})`;
}
