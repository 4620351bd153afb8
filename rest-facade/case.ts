/** The one mechanical mapping between GraphQL names (camelCase) and the REST wire (snake_case). */
export const toSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const toCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** A GraphQL detail path (`input.weightUnit`) on the wire (`weight_unit`, body variable dropped by the caller). */
export const snakePath = (path: string) => path.split(".").map(toSnake).join(".");
