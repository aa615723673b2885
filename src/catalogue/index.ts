/**
 * cti-conversation/catalogue: the message catalogue as types, validators and tables, generated from
 * `spec/conversation.yaml` (see docs/messages.md). The same names are exported from the package
 * root; this entry is for code that wants the catalogue alone (it loads no XState).
 */
export * from '../../generated/index.js';
import type { RequestName } from '../../generated/catalogue.js';

/**
 * A request's full catalogue name, such as `'conversation.request.hold'`: the `header.name` of a
 * request on the wire. The same type as the catalogue's `RequestName`, under a name that cannot
 * be mistaken for `ShortRequestName` (`'hold'`), the statechart's name for the same request.
 */
export type CatalogueRequestName = RequestName;
