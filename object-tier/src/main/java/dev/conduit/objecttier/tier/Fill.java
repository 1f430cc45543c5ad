package dev.conduit.objecttier.tier;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.bucket.S3Object;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One object on its way from the cold tier into the store: the single flight every concurrent
 * miss of that object shares. It runs on its own thread ({@link ColdThreads}), so it finishes even
 * when the client that caused it goes away.
 *
 * <p>The first part ({@code tier.partSize}) is one streamed GET: its bytes are appended to a put
 * session and handed to the subscribers as they arrive, so the clients' first bytes leave before
 * the object has landed. The request that started the fill subscribes, and so does every request
 * that joins it before its first bytes have been handed out (concurrent misses share the stream).
 * One that joins later, while the first part streams, is handed the pieces so far from the fill's
 * {@link Replay} and then the rest; one that joins after that (or when the part memory had no room
 * for the replay) waits for the commit and reads the local copy. The remaining parts are ranged GETs,
 * {@code tier.parallelParts} in flight, each pinned to the first response's ETag
 * ({@code If-Match}), appended and handed on in order. The object becomes visible only at commit:
 * {@code IF_ABSENT} for a first copy (a client PUT that landed meanwhile wins), or
 * {@code ifVersion} of the stale local copy for a replacement, and only when the bytes' MD5 is the
 * cold object's single-part ETag ({@code tier.verifyEtag}); a multipart cold ETag becomes the copy's own. Any failure aborts the session, so
 * no partial object is ever visible; the subscribers then see the failure and cut their responses.
 *
 * <p>Memory: at most {@code parallelParts} parts plus {@link #QUEUE_PIECES} pieces of
 * {@link #PIECE_BYTES} for the subscribers, however many there are: they share the pieces, and the
 * fill waits for the slowest (a client that stops reading is dropped by its request at the idle
 * timeout); while the first part streams, its replay keeps what was handed out, at most that part,
 * counted with the parts against the cold client's part memory.
 */
public final class Fill
{
    /** Bytes per piece handed to the subscriber. */
    static final int PIECE_BYTES = 1 << 20;
    /** Bytes of the first piece of a streamed GET; each next one is four times larger, up to {@link #PIECE_BYTES}. */
    static final int FIRST_PIECE_BYTES = 64 << 10;
    /** Pieces queued for a slow subscriber before the fill waits for it. */
    static final int QUEUE_PIECES = 16;

    private static final System.Logger LOG = System.getLogger("conduit.tier");

    private final Tiering tiering;
    private final ColdClient cold;
    private final String bucket;
    private final String key;
    private final long replaceVersion;
    private final CompletableFuture<ColdObject> head = new CompletableFuture<>();
    private final CompletableFuture<S3Object> done = new CompletableFuture<>();
    private final List<FillSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final FillSubscription first;
    // Only for a fill a request started: a prefetch hands nothing out, so it keeps nothing.
    private final Replay replay;
    private boolean flowing;
    // Set by the fill's own thread once its copy is published and admitted to the evictor.
    private boolean admitted;

    Fill(final Tiering tiering, final ColdClient cold, final String bucket, final String key, final long replaceVersion,
        final boolean subscribed)
    {
        this.tiering = tiering;
        this.cold = cold;
        this.bucket = bucket;
        this.key = key;
        this.replaceVersion = replaceVersion;
        this.first = subscribed ? new FillSubscription(List.of()) : null;
        this.replay = subscribed ? cold.newReplay() : null;
        if (first != null)
        {
            subscribers.add(first);
        }
    }

    /**
     * @return the cold object's description, once the first response arrived.
     * @throws ConduitException NOT_FOUND when the cold tier has no such object, or a cold-tier code.
     * @throws InterruptedException when interrupted.
     */
    public ColdObject awaitHead() throws InterruptedException
    {
        return await(head);
    }

    /** @return the subscription of the request that started the fill, or null when it did not subscribe. */
    FillSubscription first()
    {
        return first;
    }

    /**
     * Joins the stream: from its start if no byte of it has been handed out yet, else from the
     * pieces handed out so far while the fill's {@link Replay} still has them.
     *
     * @return the subscription, or null: the caller waits for the commit ({@link #awaitDone}).
     */
    synchronized FillSubscription trySubscribe()
    {
        if (flowing && (replay == null || !replay.isOpen()))
        {
            return null;
        }
        // Under the monitor append() holds while it keeps a piece and takes its subscribers: every piece reaches the
        // joiner once, from the replay or from its queue.
        final FillSubscription subscription = new FillSubscription(flowing ? replay.pieces() : List.of());
        subscribers.add(subscription);
        return subscription;
    }

    /**
     * @param timeoutMs how long to wait.
     * @return the object as published (or as found when a local write won).
     * @throws ConduitException the fill's failure, or TIMED_OUT.
     * @throws InterruptedException when interrupted.
     */
    public S3Object awaitDone(final long timeoutMs) throws InterruptedException
    {
        try
        {
            return done.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException e)
        {
            throw new ConduitException(ErrorCode.TIMED_OUT, "fetch of " + bucket + "/" + key + " from the cold tier still running", e);
        }
        catch (final ExecutionException e)
        {
            throw ColdErrors.map(e, "fill " + bucket + "/" + key);
        }
    }

    /** @return a future completed when the object is published (or the fill failed). */
    CompletableFuture<S3Object> done()
    {
        return done;
    }

    void run()
    {
        PutSession session = null;
        try
        {
            final TierSettings settings = tiering.settings();
            final long partBytes = settings.partSizeBytes();
            ResponseInputStream<GetObjectResponse> first;
            try
            {
                first = cold.getStream(key, "bytes=0-" + (partBytes - 1), null);
            }
            catch (final ConduitException e)
            {
                if (!ColdErrors.hasStatus(e, 416))
                {
                    throw e;
                }
                // An empty object has no byte 0: S3 answers a ranged GET of it with 416.
                first = cold.getStream(key, null, null);
            }
            tiering.metrics().coldGets.increment();
            final GetObjectResponse response = first.response();
            final long sizeBytes = totalSize(response);
            final ColdObject object = ColdClient.describe(key, response, sizeBytes);
            session = tiering.local().openPut(bucket, key, object.metadata(), sizeBytes);
            adoptColdEtag(session, object);
            head.complete(object);
            long position = copyStream(first, session, Math.min(partBytes, sizeBytes));
            closeReplay();
            position = copyParts(session, object, position, sizeBytes, settings);
            if (position != sizeBytes)
            {
                throw new ConduitException(ErrorCode.COLD_TIER_FAILED, "cold object " + bucket + "/" + key + " ended at " + position
                    + " of " + sizeBytes + " bytes");
            }
            final S3Object stored = publish(session, object, sizeBytes);
            tiering.metrics().fills.increment();
            finish(FillSubscription.END);
            done.complete(stored);
            if (admitted)
            {
                evictBehind(stored);
            }
        }
        catch (final Throwable t)
        {
            if (session != null)
            {
                session.abort();
            }
            final ConduitException failure = ColdErrors.map(t, "fetch of " + bucket + "/" + key + " from the cold tier");
            if (failure.code() != ErrorCode.NOT_FOUND)
            {
                tiering.metrics().fillFailures.increment();
                LOG.log(System.Logger.Level.WARNING, "fetch of " + bucket + "/" + key + " from the cold tier failed; nothing published",
                    failure);
            }
            head.completeExceptionally(failure);
            finish(failure);
            done.completeExceptionally(failure);
            if (t instanceof Error error)
            {
                throw error;
            }
        }
        finally
        {
            tiering.fillDone(bucket, key, this);
        }
    }

    /** After the responses ended: a client's last bytes never wait for an eviction pass, and its failure fails no fill. */
    private void evictBehind(final S3Object stored)
    {
        try
        {
            tiering.evictAfterFill(stored);
        }
        catch (final RuntimeException e)
        {
            LOG.log(System.Logger.Level.WARNING, "eviction after the fetch of " + bucket + "/" + key + " failed", e);
        }
    }

    private S3Object publish(final PutSession session, final ColdObject object, final long sizeBytes)
    {
        final CommitCondition condition = replaceVersion < 0 ? CommitCondition.IF_ABSENT : CommitCondition.ifVersion(replaceVersion);
        final S3Object stored;
        // Shared with PUTs, exclusive of a DELETE: a key deleted while its fill ran is not published behind the delete.
        final Lock lock = tiering.locks().of(bucket, key).readLock();
        lock.lock();
        try
        {
            tiering.refuseDeleted(bucket, key);
            // The synced record rides in the object's own journal batch: one durable commit before the
            // last piece leaves instead of two, and no crash can leave the copy without its record.
            final long fetchedAtMs = System.currentTimeMillis();
            stored = tiering.local().commit(session, bucket, key, sizeBytes, condition, expectedMd5(object),
                tiering.catalog().rider(bucket, key,
                    published -> new TierRecord(TierState.SYNCED, published.version(), sizeBytes, object.etag(), fetchedAtMs, 0, 0), null));
        }
        catch (final ConduitException e)
        {
            if (e.code() == ErrorCode.DIGEST_MISMATCH)
            {
                throw new ConduitException(ErrorCode.DIGEST_MISMATCH, "cold object " + bucket + "/" + key + " arrived with other bytes than "
                    + "its ETag " + object.etag() + " says: refused, nothing published (" + e.getMessage() + ")", e);
            }
            if (e.code() != ErrorCode.PRECONDITION_FAILED)
            {
                throw e;
            }
            // A client wrote the key meanwhile: its write wins; the cold bytes were served but are not kept.
            return tiering.local().find(bucket, key).orElseThrow(() -> e);
        }
        finally
        {
            lock.unlock();
        }
        if (replaceVersion >= 0)
        {
            tiering.metrics().replacements.increment();
        }
        tiering.filled(stored);
        admitted = true;
        return stored;
    }

    /**
     * The end-to-end check of a fill ({@code tier.verifyEtag}): a single-part cold ETag is the MD5
     * of the object's bytes, which the store computes anyway (it is the local ETag), so comparing
     * them costs nothing. A multipart ETag (an MD5 of the parts' MD5s, with a {@code -N} suffix)
     * says nothing the fill can check without the cold part sizes: such a fill is checked by its
     * size only (and by the store's CRC-32C from then on), and keeps the cold ETag as its own
     * ({@link #adoptColdEtag}).
     *
     * @return the MD5 the fill's bytes must have, or null.
     */
    private byte[] expectedMd5(final ColdObject object)
    {
        final ColdEtag etag = ColdEtag.parse(object.etag());
        return tiering.settings().verifyEtag() && etag != null && !etag.multipart() ? etag.md5() : null;
    }

    /**
     * A multipart cold object's copy is published under the cold ETag, so clients see one ETag in
     * both tiers (conditional requests and sync tools compare them), and the fill skips the MD5 pass
     * that could only have made a different one: that pass is most of a fill's CPU.
     */
    private static void adoptColdEtag(final PutSession session, final ColdObject object)
    {
        final ColdEtag etag = ColdEtag.parse(object.etag());
        if (etag != null && etag.multipart())
        {
            session.adoptMultipartEtag(etag.md5(), etag.partCount());
        }
    }

    private long copyStream(final InputStream in, final PutSession session, final long lengthBytes) throws IOException, InterruptedException
    {
        long position = 0;
        byte[] reused = null;
        try (in)
        {
            int pieceBytes = FIRST_PIECE_BYTES;
            while (position < lengthBytes)
            {
                final byte[] buffer;
                int want = (int)Math.min(pieceBytes, lengthBytes - position);
                // Small first pieces, so the subscribers' first bytes leave after 64 KiB of the cold response, not 1 MiB.
                pieceBytes = Math.min(PIECE_BYTES, pieceBytes * 4);
                if (handsOutPieces())
                {
                    // Subscribers keep the pieces they were handed: each gets its own array then.
                    buffer = new byte[want];
                }
                else
                {
                    // Nobody keeps them: one array of the part pool, so a prefetch allocates nothing per object here.
                    if (reused == null)
                    {
                        reused = cold.pieceArray();
                    }
                    buffer = reused;
                    want = (int)Math.min(buffer.length, lengthBytes - position);
                }
                final int n = in.readNBytes(buffer, 0, want);
                if (n <= 0)
                {
                    break;
                }
                append(session, buffer, 0, n);
                position += n;
            }
        }
        finally
        {
            if (reused != null)
            {
                cold.recycle(reused);
            }
        }
        tiering.metrics().coldGetBytes.add(position);
        return position;
    }

    private long copyParts(final PutSession session, final ColdObject object, final long from, final long sizeBytes,
        final TierSettings settings) throws InterruptedException
    {
        final Deque<ColdPart> window = new ArrayDeque<>();
        long next = from;
        long position = from;
        try
        {
            while (position < sizeBytes)
            {
                while (next < sizeBytes && window.size() < settings.parallelParts())
                {
                    final long lengthBytes = Math.min(sizeBytes - next, settings.partSizeBytes());
                    // With parts in hand, no waiting for part memory: appending them is what frees it.
                    final ColdPart part = cold.getPart(key, next, lengthBytes, object.etag(), window.isEmpty());
                    if (part == null)
                    {
                        break;
                    }
                    window.add(part);
                    tiering.metrics().coldGets.increment();
                    next += lengthBytes;
                }
                final ColdPart part = window.removeFirst();
                final long partBytes;
                try
                {
                    partBytes = appendPart(session, part.await());
                }
                finally
                {
                    // Copied into the put session (and into the subscribers' own pieces): the arrays are free again.
                    part.release();
                }
                tiering.metrics().coldGetBytes.add(partBytes);
                position += partBytes;
                if (partBytes == 0)
                {
                    break;
                }
            }
            return position;
        }
        finally
        {
            window.forEach(ColdPart::abandon);
        }
    }

    /**
     * Appends one part's buffers: straight into the put session when nobody reads along (a
     * prefetch, or a miss whose requests all left), else gathered into pieces of
     * {@link #PIECE_BYTES} that the subscribers keep.
     *
     * @return the part's length.
     */
    private long appendPart(final PutSession session, final List<ByteBuffer> buffers) throws InterruptedException
    {
        long lengthBytes = 0;
        byte[] piece = null;
        int filled = 0;
        for (final ByteBuffer buffer : buffers)
        {
            lengthBytes += buffer.remaining();
            if (piece == null && !handsOutPieces())
            {
                session.append(MemorySegment.ofBuffer(buffer));
                continue;
            }
            while (buffer.hasRemaining())
            {
                if (piece == null)
                {
                    piece = new byte[PIECE_BYTES];
                }
                final int take = Math.min(buffer.remaining(), piece.length - filled);
                buffer.get(piece, filled, take);
                filled += take;
                if (filled == piece.length)
                {
                    append(session, piece, 0, filled);
                    piece = null;
                    filled = 0;
                }
            }
        }
        if (piece != null && filled > 0)
        {
            append(session, piece, 0, filled);
        }
        return lengthBytes;
    }

    /**
     * @return whether a piece appended now may be handed to a subscriber: always before the first
     *         piece (a request may still join), afterwards only when one joined in time.
     */
    private synchronized boolean handsOutPieces()
    {
        return !flowing || !subscribers.isEmpty();
    }

    private void append(final PutSession session, final byte[] bytes, final int offset, final int length) throws InterruptedException
    {
        final Piece piece = new Piece(bytes, offset, length);
        final Iterator<FillSubscription> targets;
        synchronized (this)
        {
            // From here on, a request that joins has missed these bytes: it gets them from the replay, or waits for the commit.
            flowing = true;
            if (replay != null)
            {
                replay.keep(piece);
            }
            // A snapshot: a request that joins from here on has this piece in its replay.
            targets = subscribers.iterator();
        }
        // Handed on before the store copies and hashes them: the responses' network writes overlap that work. A
        // failure later still reaches every subscriber (instead of the end), which cuts its response.
        while (targets.hasNext())
        {
            targets.next().offer(piece);
        }
        session.append(bytes, offset, length);
    }

    /** The first part is in: a request that joins from now on waits for the commit. */
    private synchronized void closeReplay()
    {
        if (replay != null)
        {
            replay.close();
        }
    }

    /** The end (after every piece) or a failure (instead of the pieces still queued: the responses are cut anyway). */
    private void finish(final Object last)
    {
        final Iterator<FillSubscription> targets;
        synchronized (this)
        {
            flowing = true;
            if (replay != null)
            {
                replay.close();
            }
            // A snapshot: a request can no longer join (the replay is closed), so none misses the end.
            targets = subscribers.iterator();
        }
        try
        {
            while (targets.hasNext())
            {
                final FillSubscription subscription = targets.next();
                if (last != FillSubscription.END)
                {
                    subscription.dropQueued();
                }
                subscription.offer(last);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static long totalSize(final GetObjectResponse response)
    {
        final String range = response.contentRange();
        if (range != null)
        {
            final int slash = range.lastIndexOf('/');
            if (slash > 0 && !range.endsWith("*"))
            {
                return Long.parseLong(range.substring(slash + 1).trim());
            }
        }
        return response.contentLength() == null ? 0 : response.contentLength();
    }

    private static <T> T await(final Future<T> future) throws InterruptedException
    {
        try
        {
            return future.get();
        }
        catch (final ExecutionException e)
        {
            throw ColdErrors.map(e, "cold tier");
        }
    }

    /**
     * Bytes for the subscribers; never changed after they are handed over.
     *
     * @param bytes  the array.
     * @param offset first byte.
     * @param length byte count.
     */
    public record Piece(byte[] bytes, int offset, int length)
    {
    }
}
