/**
 * The GPU data paths ({@code gds}, {@code bounce}, {@code host}); for now, the choice between them
 * ({@link dev.conduit.gdspath.PathSelection}) made on native-bindings' typed probe results. No
 * threads; pure functions of their inputs.
 */
package dev.conduit.gdspath;
