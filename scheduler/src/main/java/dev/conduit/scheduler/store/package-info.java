/**
 * Routes block-layout's namespace I/O through the scheduler: {@link dev.conduit.scheduler.store.NamespaceTarget}
 * (a namespace as a device target), {@link dev.conduit.scheduler.store.ScheduledNamespace} (a namespace whose
 * calls become scheduler requests) and {@link dev.conduit.scheduler.store.ScheduledStore} (a store opened that way).
 * Calls block the caller until their request completes; the device threads belong to the scheduler.
 */
package dev.conduit.scheduler.store;
