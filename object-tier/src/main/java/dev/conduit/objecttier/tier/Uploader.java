package dev.conduit.objecttier.tier;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.objecttier.bucket.S3Object;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one pinned local version to the cold tier: a single PUT with Content-MD5 up to
 * {@code tier.multipartThreshold}, else a multipart upload whose parts ({@code tier.partSize},
 * each with its Content-MD5) are read from the verified local chunks and sent
 * {@code tier.parallelParts} at a time. Metadata travels with it (content headers, user metadata,
 * tags). The cold ETag is the local one for a single PUT; a multipart upload's is S3's
 * {@code md5-of-part-md5s-N}, which the tier record keeps.
 */
final class Uploader
{
    private Uploader()
    {
    }

    /**
     * @param cold     the cold client.
     * @param open     the pinned version.
     * @param settings part sizes.
     * @param metrics  upload counters.
     * @return the cold ETag.
     * @throws InterruptedException when interrupted (a multipart upload is then aborted).
     */
    static String upload(final ColdClient cold, final OpenObject open, final TierSettings settings, final TierMetrics metrics)
        throws InterruptedException
    {
        final S3Object object = open.object();
        if (object.sizeBytes() <= settings.multipartThresholdBytes())
        {
            final byte[] bytes = open.handle().readAllBytes();
            final String etag = cold.put(object.key(), bytes, contentMd5(object, bytes), object.metadata());
            metrics.uploadBytes.add(bytes.length);
            return ColdClient.unquote(etag);
        }
        final String uploadId = cold.createMultipart(object.key(), object.metadata());
        boolean completed = false;
        try (PartSink sink = new PartSink(cold, object.key(), uploadId, (int)settings.partSizeBytes(), settings.parallelParts(), metrics))
        {
            open.handle().transferTo(sink, ProgressListener.NONE);
            final String etag = cold.completeMultipart(object.key(), uploadId, sink.finish());
            completed = true;
            return ColdClient.unquote(etag);
        }
        finally
        {
            if (!completed)
            {
                cold.abortMultipart(object.key(), uploadId);
            }
        }
    }

    /**
     * The Content-MD5 of a single PUT: a plain local object's ETag is the MD5 the store computed of
     * the bytes it acknowledged, so it is sent as it is rather than hashed again (8 MiB of MD5 per
     * upload, CPU that foreground PUTs need). The cold tier checks the bytes against it, as before;
     * an object composed of parts has an MD5 of MD5s: its bytes are hashed.
     */
    private static String contentMd5(final S3Object object, final byte[] bytes)
    {
        return object.record().partCount() == 0 ? Base64.getEncoder().encodeToString(object.record().etagBytes())
            : base64Md5(bytes, bytes.length);
    }

    static String base64Md5(final byte[] bytes, final int length)
    {
        try
        {
            final MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    static String hexOf(final String base64)
    {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    /** Collects the streamed object into parts and keeps a bounded window of part uploads in flight. */
    private static final class PartSink extends OutputStream
    {
        private final ColdClient cold;
        private final String key;
        private final String uploadId;
        private final int partBytes;
        private final int window;
        private final TierMetrics metrics;
        private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        private byte[] buffer;
        private int filled;

        PartSink(final ColdClient cold, final String key, final String uploadId, final int partBytes, final int window,
            final TierMetrics metrics)
        {
            this.cold = cold;
            this.key = key;
            this.uploadId = uploadId;
            this.partBytes = partBytes;
            this.window = window;
            this.metrics = metrics;
            this.buffer = new byte[partBytes];
        }

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(final byte[] src, final int offset, final int length) throws IOException
        {
            int at = offset;
            int left = length;
            while (left > 0)
            {
                final int n = Math.min(left, partBytes - filled);
                System.arraycopy(src, at, buffer, filled, n);
                filled += n;
                at += n;
                left -= n;
                if (filled == partBytes)
                {
                    send();
                }
            }
        }

        List<CompletedPart> finish() throws InterruptedException
        {
            if (filled > 0 || parts.isEmpty())
            {
                send();
            }
            final List<CompletedPart> out = new ArrayList<>();
            for (final CompletableFuture<CompletedPart> part : parts)
            {
                out.add(join(part));
            }
            return out;
        }

        private void send()
        {
            final int number = parts.size() + 1;
            final int length = filled;
            parts.add(cold.uploadPart(key, uploadId, number, buffer, length, base64Md5(buffer, length))
                .thenApply(p ->
                {
                    metrics.uploadBytes.add(length);
                    return p;
                }));
            buffer = new byte[partBytes];
            filled = 0;
            // Bounded window: wait for the oldest part still in flight before reading more.
            final int inFlight = (int)parts.stream().filter(f -> !f.isDone()).count();
            if (inFlight >= window)
            {
                try
                {
                    CompletableFuture.anyOf(parts.stream().filter(f -> !f.isDone()).toArray(CompletableFuture[]::new)).join();
                }
                catch (final RuntimeException e)
                {
                    // The failed part is reported by finish(), in order.
                }
            }
        }

        @Override
        public void close()
        {
            parts.forEach(p -> p.cancel(true));
        }

        private static CompletedPart join(final CompletableFuture<CompletedPart> part) throws InterruptedException
        {
            try
            {
                return part.get();
            }
            catch (final ExecutionException e)
            {
                throw ColdErrors.map(e, "upload part");
            }
        }
    }
}
