/** References to entities other subgraphs own: federation resolves the rest from the id. */
export const userReference = (id: string) => ({ id });
export const merchantReference = (id: string) => ({ id });
