/**
 * A live channel a unit test feeds by hand, with the semantics of the real pub/sub iterators:
 * `return()` resolves a waiting `next()` as done.
 */
export function testChannel<Message>() {
  const queue: Message[] = [];
  const waiting: ((result: IteratorResult<Message>) => void)[] = [];
  let closed = false;
  let returned = 0;
  const source: AsyncIterator<Message> = {
    next: () =>
      new Promise((resolve) => {
        if (closed) return resolve({ done: true, value: undefined });
        const message = queue.shift();
        if (message) resolve({ done: false, value: message });
        else waiting.push(resolve);
      }),
    return: async () => {
      returned += 1;
      closed = true;
      for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return {
    source,
    push: (message: Message) => {
      const resolve = waiting.shift();
      if (resolve) resolve({ done: false, value: message });
      else queue.push(message);
    },
    returned: () => returned,
  };
}
