// Apollo Client adds `__typename` to the selection sets it sends (all but the operation's root).
// Applying Apollo's own transform when the documents are generated makes the generated types and
// the persisted-documents manifest hold exactly the selections Apollo Client sends, so a gateway
// that only runs manifest documents answers what the cache expects.
import { addTypenameToDocument } from '@apollo/client/utilities';

/** A GraphQL Code Generator document transform. */
export function transform({ documents }) {
  return documents.map((source) => ({
    ...source,
    document: source.document && addTypenameToDocument(source.document),
  }));
}
