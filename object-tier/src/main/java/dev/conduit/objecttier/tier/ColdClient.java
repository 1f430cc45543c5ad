package dev.conduit.objecttier.tier;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.bucket.S3Metadata;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One binding's cold S3 client, two SDK v2 clients with the same settings: the sync client over
 * its Apache 5 HTTP client for reads (HEAD, LIST, and the GETs of a fill, whose stream reads the
 * socket straight into the caller's array on the caller's thread, {@link ColdThreads}), and the async client
 * over its Netty HTTP client for uploads and deletes, made on first use (a prefetch never starts
 * it). The Netty client handed a GET's body over as a new heap copy of each network buffer, on an
 * event-loop thread: a copy, an allocation and a hand-off between threads per buffer, about as
 * much CPU per byte as the MD5 the store computes. Both use path-style
 * addressing (MinIO, Ceph RGW, S3Proxy; AWS accepts it too), the standard retry strategy with
 * exponential back-off and full jitter ({@code tier.retries}, base 50 ms, cap 5 s; no circuit
 * breaker, so a long outage never turns into instant failures), a per-attempt timeout
 * ({@code tier.requestTimeout}), and credentials from the standard AWS chain or a named profile.
 * Checksums are those S3 requires (Content-MD5 is sent by the uploader itself), so any S3
 * implementation accepts the requests. Every failure leaves here as a {@link ConduitException}
 * ({@link ColdErrors}). Thread-safe.
 */
public final class ColdClient implements AutoCloseable
{
    private static final Duration BACKOFF_BASE = Duration.ofMillis(50);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
    private static final long CLOSE_TIMEOUT_S = 5;
    private static final int MAX_CONNECTIONS = 256;
    private static final int MAX_LIST_KEYS = 1000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final TierBinding binding;
    private final TierSettings settings;
    private final AwsCredentialsProvider credentials;
    private final S3Client reads;
    private final PiecePool pieces;
    private final ExecutorService partThreads;
    // The upload client, made on first use: a process that only reads (a prefetch) never starts Netty.
    private EventLoopGroup eventLoops;
    private S3AsyncClient uploads;
    private boolean closed;

    /**
     * @param binding  the binding (endpoint, region, profile, cold location).
     * @param settings retries and timeouts.
     */
    public ColdClient(final TierBinding binding, final TierSettings settings)
    {
        this(binding, settings, ColdThreads.VIRTUAL);
    }

    /**
     * @param binding  the binding (endpoint, region, profile, cold location).
     * @param settings retries and timeouts.
     * @param threads  the threads the ranged GET parts run on.
     */
    public ColdClient(final TierBinding binding, final TierSettings settings, final ColdThreads threads)
    {
        this.binding = binding;
        this.settings = settings;
        this.partThreads = Executors.newThreadPerTaskExecutor(threads.factory("conduit-cold-part"));
        // Two fills' full windows: one object's parts all in flight, with room for another's to start.
        this.pieces = new PiecePool((int)Math.min(Integer.MAX_VALUE - 64,
            2L * settings.parallelParts() * ((settings.partSizeBytes() + PiecePool.PIECE_BYTES - 1) / PiecePool.PIECE_BYTES)));
        this.credentials = binding.profile().isEmpty()
            ? DefaultCredentialsProvider.builder().build()
            : ProfileCredentialsProvider.create(binding.profile());
        this.reads = configure(S3Client.builder(), binding, credentials, settings)
            .httpClientBuilder(Apache5HttpClient.builder()
                .tlsSocketStrategy(PlainHttpOnly.forEndpoint(binding.endpoint()))
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(settings.requestTimeout()))
            .build();
    }

    /** @return the upload client, made now if this is its first use. */
    private synchronized S3AsyncClient uploads()
    {
        if (closed)
        {
            throw new IllegalStateException("cold client of " + binding.cold() + " is closed");
        }
        if (uploads == null)
        {
            // Our own event loops, so close() can end them without the SDK's graceful shutdown, whose 2 s
            // quiet period every `conduit tier` command and every server stop would otherwise wait out.
            eventLoops = newEventLoops();
            uploads = configure(S3AsyncClient.builder(), binding, credentials, settings)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(SdkEventLoopGroup.create(eventLoops, NioSocketChannel::new))
                    .maxConcurrency(MAX_CONNECTIONS)
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .readTimeout(settings.requestTimeout())
                    .writeTimeout(settings.requestTimeout()))
                .build();
        }
        return uploads;
    }

    /** The settings both clients share: endpoint, addressing, credentials, checksums, retries with back-off, timeouts. */
    private static <B extends S3BaseClientBuilder<B, ?>> B configure(final B builder, final TierBinding binding,
        final AwsCredentialsProvider credentials, final TierSettings settings)
    {
        return builder
            .endpointOverride(binding.endpoint())
            .region(Region.of(binding.region()))
            .forcePathStyle(true)
            .credentialsProvider(credentials)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(o -> o
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(settings.retries() + 1)
                    .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                    .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                    .circuitBreakerEnabled(false)
                    .build())
                .apiCallAttemptTimeout(settings.requestTimeout()));
    }

    /** @return the binding this client serves. */
    public TierBinding binding()
    {
        return binding;
    }

    /**
     * HEAD, optionally conditional.
     *
     * @param key         the local key.
     * @param ifNoneMatch the ETag held locally, or null.
     * @return the cold object, or null when it still has ETag {@code ifNoneMatch} (304).
     * @throws ConduitException NOT_FOUND, or a cold-tier code.
     */
    public ColdObject head(final String key, final String ifNoneMatch)
    {
        try
        {
            final HeadObjectResponse head = reads.headObject(b -> b.bucket(binding.cold().bucket()).key(coldKey(key))
                .ifNoneMatch(ifNoneMatch == null ? null : quote(ifNoneMatch)));
            return describe(key, head.contentLength(), head.eTag(), head.lastModified(), head.contentType(), head.contentEncoding(),
                head.cacheControl(), head.contentDisposition(), head.contentLanguage(), head.metadata());
        }
        catch (final SdkException e)
        {
            final ConduitException mapped = ColdErrors.map(e, what("HEAD", key));
            if (ifNoneMatch != null && mapped.code() == ErrorCode.PRECONDITION_FAILED)
            {
                return null;
            }
            throw mapped;
        }
    }

    /** @return a replay of a fill's first part, counted against this client's part memory. */
    Replay newReplay()
    {
        return new Replay(pieces);
    }

    /**
     * Starts a GET whose body is read as it arrives (blocking reads, back-pressure to the socket).
     *
     * @param key     the local key.
     * @param range   an HTTP Range value ({@code bytes=0-1048575}), or null for all of it.
     * @param ifMatch the ETag the bytes must have, or null.
     * @return the open response (close it).
     */
    public ResponseInputStream<GetObjectResponse> getStream(final String key, final String range, final String ifMatch)
    {
        try
        {
            return reads.getObject(get(key, range, ifMatch));
        }
        catch (final SdkException e)
        {
            throw ColdErrors.map(e, what("GET", key));
        }
    }

    /**
     * A ranged GET collected in memory (one part of a parallel fetch) on a virtual thread of its
     * own, read from the socket straight into reused arrays ({@link PiecePool}), once the part
     * memory its pieces need is reserved: the parts of all fills together hold at most
     * {@code 2 × tier.parallelParts × tier.partSize}. A body cut short is retried (the SDK retries
     * a transfer whose reader fails with an I/O error).
     *
     * @param key         the local key.
     * @param firstByte   where the part starts.
     * @param lengthBytes the part's length.
     * @param ifMatch     the ETag the bytes must have.
     * @param wait        whether to wait for part memory; only a caller holding no part may
     *                    ({@link PiecePool#reserve}).
     * @return the part in flight, the caller's to release or abandon; null when the memory is
     *         taken and {@code wait} is false.
     * @throws InterruptedException when interrupted while waiting for part memory.
     */
    ColdPart getPart(final String key, final long firstByte, final long lengthBytes, final String ifMatch, final boolean wait)
        throws InterruptedException
    {
        final int reserved = pieces.piecesFor(lengthBytes);
        if (!pieces.reserve(reserved, wait))
        {
            return null;
        }
        final String range = "bytes=" + firstByte + "-" + (firstByte + lengthBytes - 1);
        final GetObjectRequest request = get(key, range, ifMatch);
        final ResponseTransformer<GetObjectResponse, List<ByteBuffer>> reader = (response, in) -> pieces.read(in, lengthBytes);
        try
        {
            return new ColdPart(partThreads.submit(() ->
            {
                try
                {
                    return reads.getObject(request, reader);
                }
                catch (final SdkException e)
                {
                    throw ColdErrors.map(e, what("GET " + range, key));
                }
            }), pieces, reserved);
        }
        catch (final RuntimeException e)
        {
            pieces.release(reserved);
            throw e;
        }
    }

    /**
     * @return an array of the part pool's, for a caller that copies its bytes out before it reads
     *         into it again and gives it back with {@link #recycle(byte[])}.
     */
    byte[] pieceArray()
    {
        return pieces.take();
    }

    /**
     * An array from {@link #pieceArray()} whose bytes have been copied: it is reused.
     *
     * @param array the array; not to be read again.
     */
    void recycle(final byte[] array)
    {
        pieces.give(array);
    }

    /**
     * Single PUT.
     *
     * @param key      the local key.
     * @param bytes    the whole object.
     * @param md5      its Content-MD5 (base64).
     * @param metadata content headers, user metadata and tags.
     * @return the cold ETag.
     */
    public String put(final String key, final byte[] bytes, final String md5, final S3Metadata metadata)
    {
        try
        {
            return uploads().putObject(b -> headers(b.bucket(binding.cold().bucket()).key(coldKey(key)).contentMD5(md5)
                    .contentLength((long)bytes.length), metadata), AsyncRequestBody.fromBytes(bytes))
                .join().eTag();
        }
        catch (final CompletionException e)
        {
            throw ColdErrors.map(e, what("PUT", key));
        }
    }

    /**
     * DELETE (S3 answers 204 whether or not the key exists).
     *
     * @param key the local key.
     */
    public void delete(final String key)
    {
        try
        {
            uploads().deleteObject(b -> b.bucket(binding.cold().bucket()).key(coldKey(key))).join();
        }
        catch (final CompletionException e)
        {
            final ConduitException mapped = ColdErrors.map(e, what("DELETE", key));
            if (mapped.code() != ErrorCode.NOT_FOUND)
            {
                throw mapped;
            }
        }
    }

    /**
     * @param key      the local key.
     * @param metadata what the completed object carries.
     * @return the upload id.
     */
    public String createMultipart(final String key, final S3Metadata metadata)
    {
        try
        {
            return uploads().createMultipartUpload(b ->
            {
                b.bucket(binding.cold().bucket()).key(coldKey(key));
                final Map<String, String> user = metadata.user();
                b.contentType(emptyToNull(metadata.contentType())).contentEncoding(emptyToNull(metadata.contentEncoding()))
                    .cacheControl(emptyToNull(metadata.cacheControl())).contentDisposition(emptyToNull(metadata.contentDisposition()))
                    .contentLanguage(emptyToNull(metadata.contentLanguage())).metadata(user).tagging(tagging(metadata.tags()));
            }).join().uploadId();
        }
        catch (final CompletionException e)
        {
            throw ColdErrors.map(e, what("CreateMultipartUpload", key));
        }
    }

    /**
     * @param key        the local key.
     * @param uploadId   the upload.
     * @param partNumber 1..10000.
     * @param bytes      the part.
     * @param length     bytes of {@code bytes} to send.
     * @param md5        the part's Content-MD5 (base64).
     * @return the part's ETag, when stored.
     */
    public CompletableFuture<CompletedPart> uploadPart(final String key, final String uploadId, final int partNumber,
        final byte[] bytes, final int length, final String md5)
    {
        return uploads().uploadPart(b -> b.bucket(binding.cold().bucket()).key(coldKey(key)).uploadId(uploadId).partNumber(partNumber)
                .contentLength((long)length).contentMD5(md5), AsyncRequestBody.fromBytes(Arrays.copyOf(bytes, length)))
            .thenApply(r -> CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build())
            .exceptionally(e ->
            {
                throw ColdErrors.map(e, what("UploadPart " + partNumber, key));
            });
    }

    /**
     * @param key      the local key.
     * @param uploadId the upload.
     * @param parts    every part, in order.
     * @return the cold ETag of the whole object.
     */
    public String completeMultipart(final String key, final String uploadId, final List<CompletedPart> parts)
    {
        try
        {
            return uploads().completeMultipartUpload(b -> b.bucket(binding.cold().bucket()).key(coldKey(key)).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())).join().eTag();
        }
        catch (final CompletionException e)
        {
            throw ColdErrors.map(e, what("CompleteMultipartUpload", key));
        }
    }

    /**
     * Best effort: a failed abort leaves parts the cold tier's lifecycle rules clean up.
     *
     * @param key      the local key.
     * @param uploadId the upload.
     */
    public void abortMultipart(final String key, final String uploadId)
    {
        uploads().abortMultipartUpload(b -> b.bucket(binding.cold().bucket()).key(coldKey(key)).uploadId(uploadId))
            .exceptionally(e -> null).join();
    }

    /**
     * Lists cold objects under a local prefix, page by page.
     *
     * @param localPrefix a prefix of local keys.
     * @param each        called with each object (local key, size, ETag).
     */
    public void list(final String localPrefix, final Consumer<ColdObject> each)
    {
        String token = "";
        do
        {
            final ColdListPage page = listPage(localPrefix, "", "", token, MAX_LIST_KEYS);
            page.objects().forEach(each);
            token = page.nextToken();
        }
        while (!token.isEmpty());
    }

    /**
     * One page of a cold LIST (ListObjectsV2, keys URL-encoded on the wire so any key survives the XML, decoded
     * by the SDK), from a local key or from the cold tier's own continuation token. The cold prefix's own
     * folder marker (the cold key that is the prefix itself) stands for no local key and is left out.
     *
     * @param localPrefix the listing's prefix, in local keys.
     * @param delimiter   the roll-up delimiter, "" for none.
     * @param after       exclusive lower bound in local keys ("" = none); ignored with a token.
     * @param token       the cold tier's continuation token, "" to start {@code after}.
     * @param maxKeys     the page size, 1..1000.
     * @return the page in local key space.
     * @throws ConduitException a cold-tier code.
     */
    ColdListPage listPage(final String localPrefix, final String delimiter, final String after, final String token, final int maxKeys)
    {
        final ListObjectsV2Response page;
        try
        {
            page = reads.listObjectsV2(b -> b.bucket(binding.cold().bucket()).prefix(coldKey(localPrefix))
                .delimiter(emptyToNull(delimiter)).maxKeys(maxKeys).encodingType(EncodingType.URL)
                .continuationToken(emptyToNull(token))
                .startAfter(token.isEmpty() && !after.isEmpty() ? coldKey(after) : null));
        }
        catch (final SdkException e)
        {
            throw ColdErrors.map(e, what("LIST", localPrefix));
        }
        final ColdLocation location = binding.cold();
        final List<ColdObject> objects = new ArrayList<>(page.contents().size());
        for (final S3Object object : page.contents())
        {
            if (object.key().length() > location.prefix().length())
            {
                objects.add(listed(object));
            }
        }
        final List<String> commonPrefixes = new ArrayList<>(page.commonPrefixes().size());
        page.commonPrefixes().forEach(p -> commonPrefixes.add(location.localKey(p.prefix())));
        final boolean truncated = Boolean.TRUE.equals(page.isTruncated());
        return new ColdListPage(objects, commonPrefixes, truncated, truncated ? page.nextContinuationToken() : "");
    }

    private ColdObject listed(final S3Object object)
    {
        return new ColdObject(binding.cold().localKey(object.key()), object.size(), unquote(object.eTag()), object.lastModified(),
            S3Metadata.EMPTY);
    }

    /**
     * @param key a local key.
     * @param response the head of a GET.
     * @param sizeBytes the whole object's size.
     * @return the object as the GET described it.
     */
    static ColdObject describe(final String key, final GetObjectResponse response, final long sizeBytes)
    {
        return describe(key, sizeBytes, response.eTag(), response.lastModified(), response.contentType(), response.contentEncoding(),
            response.cacheControl(), response.contentDisposition(), response.contentLanguage(), response.metadata());
    }

    // The SDK picks its DNS datagram channel from the group's class and knows only the (deprecated in
    // Netty 4.2) NioEventLoopGroup, not MultiThreadIoEventLoopGroup.
    @SuppressWarnings("deprecation")
    private static EventLoopGroup newEventLoops()
    {
        return new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()), new DefaultThreadFactory("conduit-cold", true));
    }

    @Override
    public void close()
    {
        partThreads.shutdownNow();
        reads.close();
        final S3AsyncClient made;
        final EventLoopGroup loops;
        synchronized (this)
        {
            closed = true;
            made = uploads;
            loops = eventLoops;
        }
        if (made == null)
        {
            return;
        }
        made.close();
        // Requests are over once the client is closed: no quiet period to wait for.
        loops.shutdownGracefully(0, CLOSE_TIMEOUT_S, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
    }

    private String what(final String operation, final String key)
    {
        return operation + " " + binding.cold().toString() + coldKeySuffix(key) + " at " + binding.endpoint();
    }

    private String coldKeySuffix(final String key)
    {
        return binding.cold().prefix().isEmpty() ? "/" + key : key;
    }

    private String coldKey(final String key)
    {
        return binding.cold().coldKey(key);
    }

    private GetObjectRequest get(final String key, final String range, final String ifMatch)
    {
        return GetObjectRequest.builder().bucket(binding.cold().bucket()).key(coldKey(key)).range(range)
            .ifMatch(ifMatch == null ? null : quote(ifMatch)).build();
    }

    private static PutObjectRequest.Builder headers(final PutObjectRequest.Builder b, final S3Metadata metadata)
    {
        return b.contentType(emptyToNull(metadata.contentType())).contentEncoding(emptyToNull(metadata.contentEncoding()))
            .cacheControl(emptyToNull(metadata.cacheControl())).contentDisposition(emptyToNull(metadata.contentDisposition()))
            .contentLanguage(emptyToNull(metadata.contentLanguage())).metadata(metadata.user()).tagging(tagging(metadata.tags()));
    }

    private static ColdObject describe(final String key, final Long sizeBytes, final String etag, final Instant lastModified,
        final String contentType, final String contentEncoding, final String cacheControl, final String contentDisposition,
        final String contentLanguage, final Map<String, String> user)
    {
        final S3Metadata metadata = new S3Metadata(contentType, contentEncoding, cacheControl, contentDisposition, contentLanguage, "",
            user == null ? Map.of() : new HashMap<>(user), Map.of(), Map.of());
        return new ColdObject(key, sizeBytes == null ? 0 : sizeBytes, unquote(etag), lastModified == null ? Instant.now() : lastModified,
            metadata);
    }

    private static String tagging(final Map<String, String> tags)
    {
        if (tags.isEmpty())
        {
            return null;
        }
        final List<String> pairs = new ArrayList<>();
        tags.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static String emptyToNull(final String s)
    {
        return s == null || s.isEmpty() ? null : s;
    }

    static String quote(final String etag)
    {
        return "\"" + etag + "\"";
    }

    static String unquote(final String etag)
    {
        if (etag == null)
        {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
