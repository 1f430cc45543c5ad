/**
 * Routes block-layout's namespace I/O through the scheduler: {@link dev.conduit.scheduler.store.NamespaceTarget}
 * (a namespace as a device target), {@link dev.conduit.scheduler.store.ScheduledNamespace} (a namespace whose
 * calls become scheduler requests; the caller blocks until its request completes),
 * {@link dev.conduit.scheduler.store.ScheduledStore} (a store opened that way) and
 * {@link dev.conduit.scheduler.store.ObjectRangeReader} (pinned, optionally verified reads of any byte range of an
 * object, described by a reusable {@link dev.conduit.scheduler.store.RangeRequest}, completing once on a device
 * thread). The device threads belong to the scheduler; this package owns only pooled read contexts.
 */
package dev.conduit.scheduler.store;
