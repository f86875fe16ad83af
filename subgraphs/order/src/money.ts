/** `Money` on the API: an integer amount in minor units and its ISO 4217 currency. */
export const money = (amount: number, currency: string) => ({ amount, currency });
