/**
 * S3 buckets, objects, tags and multipart uploads mapped onto one Conduit store.
 * {@link dev.conduit.objecttier.bucket.BucketStore} is the facade the HTTP layer calls; underneath,
 * every S3 thing is a store object under a reserved key prefix
 * ({@link dev.conduit.objecttier.bucket.StoreKeys}: {@code .b/} buckets, {@code o/} objects,
 * {@code .u/} uploads, {@code .p/} parts), S3 metadata is encoded into the store's metadata
 * exactly ({@link dev.conduit.objecttier.bucket.MetadataCodec}), delimiter listings seek past
 * rolled-up prefixes ({@link dev.conduit.objecttier.bucket.RollUpListing}), multipart completion
 * is one store {@code compose} that moves the parts' extents into the object
 * ({@link dev.conduit.objecttier.bucket.MultipartUploads}), and store failures become S3 errors in
 * one place ({@link dev.conduit.objecttier.bucket.StoreErrors}).
 *
 * <p>Threading: the package owns no threads. Every method runs on the calling (HTTP worker) thread
 * and may block on store I/O; all are safe to call concurrently, ordered where they must be by the
 * store's conditional commits and by {@link dev.conduit.objecttier.bucket.LockStripes}. An
 * {@link dev.conduit.objecttier.bucket.ObjectUpload} is used by one thread at a time.
 */
package dev.conduit.objecttier.bucket;
