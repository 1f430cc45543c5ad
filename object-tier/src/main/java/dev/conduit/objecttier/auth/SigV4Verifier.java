package dev.conduit.objecttier.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Checks AWS Signature Version 4 on S3 requests, signed in the Authorization header or presigned in
 * the query string, and says how the body is protected ({@link AuthResult}).
 *
 * <pre>{@code
 * final SigV4Verifier verifier = new SigV4Verifier(keys, "us-east-1", Clock.systemUTC(), Duration.ofMinutes(15));
 * final AuthResult auth = verifier.verify(request);   // throws S3Exception when the signature is bad
 * if (auth.isAnonymous() && !anonymousAllowed) { ... AccessDenied ... }
 * }</pre>
 *
 * <p>The canonical request is S3's: the path is not normalised and is encoded once, re-encoded
 * from what the client sent (so escaping choices do not matter); the canonical query string holds
 * every parameter, sorted, less {@code X-Amz-Signature} for presigned URLs.
 *
 * <p>Threading: thread-safe; per-thread scratch objects keep {@link #verify} from allocating its
 * hashing machinery per call, and derived signing keys are cached per access key and date.
 */
public final class SigV4Verifier
{
    /** The longest a presigned URL may live: seven days. */
    public static final long MAX_PRESIGNED_EXPIRES_SECONDS = 604_800L;

    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final String AMZ_DATE = "x-amz-date";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final int SIGNATURE_BYTES = 32;

    private final Map<String, Credentials> credentials;
    private final String region;
    private final Clock clock;
    private final long maxClockSkewSeconds;
    private final SigningKeyCache signingKeys;
    // A pool, not a ThreadLocal: each request runs on a fresh virtual thread, so a ThreadLocal would
    // build a Mac and a MessageDigest (JCA provider lookups) for every request.
    private final Queue<Scratch> scratchPool = new ConcurrentLinkedQueue<>();

    /**
     * @param credentials  the keys that may sign; access key ids must be unique.
     * @param region       the region requests must be signed for.
     * @param clock        the time to check request dates and presigned expiry against.
     * @param maxClockSkew how far a header-signed request's date may be from the clock (S3 uses 15 minutes).
     */
    public SigV4Verifier(
        final List<Credentials> credentials, final String region, final Clock clock, final Duration maxClockSkew)
    {
        if (region == null || region.isEmpty())
        {
            throw new IllegalArgumentException("region must be given");
        }
        if (maxClockSkew.isNegative())
        {
            throw new IllegalArgumentException("maxClockSkew must not be negative: " + maxClockSkew);
        }
        final Map<String, Credentials> byKey = new HashMap<>();
        for (final Credentials c : credentials)
        {
            if (byKey.put(c.accessKeyId(), c) != null)
            {
                throw new IllegalArgumentException("duplicate access key id " + c.accessKeyId());
            }
        }
        this.credentials = Map.copyOf(byKey);
        this.region = region;
        this.clock = clock;
        this.maxClockSkewSeconds = maxClockSkew.toSeconds();
        this.signingKeys = new SigningKeyCache(region);
    }

    /**
     * Verifies a header-signed ({@code Authorization: AWS4-HMAC-SHA256 ...}) or presigned
     * ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires},
     * {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature} in the query) request.
     *
     * <p>A request with no signature at all gives an anonymous result (the HTTP layer decides whether
     * anonymous access is allowed); its payload mode still follows any {@code x-amz-content-sha256}.
     *
     * @param request the request line and headers.
     * @return who signed it and how its body is protected.
     * @throws S3Exception AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed,
     *                     AuthorizationHeaderMalformed, AuthorizationQueryParametersError, InvalidContentSha256
     *                     (missing or unknown x-amz-content-sha256 on header auth), InvalidRequest (another
     *                     scheme), InvalidArgument (both header and query auth), or AccessDenied "Request has
     *                     expired" for a presigned URL past its X-Amz-Expires.
     */
    public AuthResult verify(final HttpRequest request)
    {
        final HttpHeaders headers = request.headers();
        final String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        final String uri = request.uri();
        final QueryParameters query = QueryParameters.of(uri);
        final boolean presigned = query.get("X-Amz-Algorithm") != null || query.get("X-Amz-Credential") != null ||
            query.get(QueryParameters.SIGNATURE) != null;
        if (authorization != null && presigned)
        {
            throw new S3Exception(S3Error.InvalidArgument,
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization " +
                "header should be specified", "Authorization");
        }
        if (authorization != null)
        {
            return verifyHeaderSigned(request, AuthorizationHeader.parse(authorization), query);
        }
        if (presigned)
        {
            return verifyPresigned(request, query);
        }
        return anonymous(headers);
    }

    private AuthResult verifyHeaderSigned(
        final HttpRequest request, final AuthorizationHeader authorization, final QueryParameters query)
    {
        final HttpHeaders headers = request.headers();
        final CredentialScope scope =
            CredentialScope.parse(authorization.credential(), S3Error.AuthorizationHeaderMalformed, region);
        final Credentials key = lookUp(scope.accessKeyId());
        requireHostSigned(authorization.signedHeaders(), S3Error.AuthorizationHeaderMalformed);

        final String contentSha256 = headers.get(CONTENT_SHA256);
        final PayloadMode mode = contentSha256 == null ? null : PayloadMode.fromContentSha256(contentSha256);
        if (mode == null)
        {
            throw new S3Exception(S3Error.InvalidContentSha256, contentSha256 == null ?
                "Missing required header for this request: x-amz-content-sha256" :
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-* or a SHA-256 hex: " + contentSha256, "");
        }

        final String amzDate = headers.get(AMZ_DATE);
        final long requestSecond;
        final String timestamp;
        if (amzDate != null)
        {
            requestSecond = AmzDate.parseAmz(amzDate);
            timestamp = amzDate;
        }
        else
        {
            final String date = headers.get(HttpHeaderNames.DATE);
            requestSecond = date == null ? AmzDate.INVALID : AmzDate.parseHttpDate(date);
            timestamp = requestSecond == AmzDate.INVALID ? null : AmzDate.format(requestSecond);
        }
        if (requestSecond == AmzDate.INVALID)
        {
            throw new S3Exception(S3Error.AccessDenied,
                "AWS authentication requires a valid Date or x-amz-date header", "");
        }
        if (!timestamp.startsWith(scope.date()))
        {
            throw new S3Exception(S3Error.AuthorizationHeaderMalformed,
                S3Error.AuthorizationHeaderMalformed.defaultMessage() +
                " Invalid credential date. Date is not the same as X-Amz-Date.", "");
        }
        final long nowSecond = clock.instant().getEpochSecond();
        if (Math.abs(requestSecond - nowSecond) > maxClockSkewSeconds)
        {
            throw new S3Exception(S3Error.RequestTimeTooSkewed, S3Error.RequestTimeTooSkewed.defaultMessage() +
                " Request time " + timestamp + ", server time " + AmzDate.format(nowSecond) + ".", "");
        }

        final byte[] signingKey = checkSignature(request, query, null, authorization.signedHeaders(),
            contentSha256, key, scope, timestamp, authorization.signature());
        return switch (mode)
        {
            case SIGNED -> new AuthResult(key.accessKeyId(), mode, contentSha256.toLowerCase(Locale.ROOT), false, null);
            case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER -> new AuthResult(key.accessKeyId(), mode, null, false,
                new ChunkSignatureChain(signingKey, timestamp, scope.scope(), authorization.signature()));
            case UNSIGNED, STREAMING_UNSIGNED_TRAILER -> new AuthResult(key.accessKeyId(), mode, null, false, null);
        };
    }

    private AuthResult verifyPresigned(final HttpRequest request, final QueryParameters query)
    {
        final String algorithm = query.get("X-Amz-Algorithm");
        final String credential = query.get("X-Amz-Credential");
        final String amzDate = query.get("X-Amz-Date");
        final String expires = query.get("X-Amz-Expires");
        final String signedHeaders = query.get("X-Amz-SignedHeaders");
        final String signature = query.get(QueryParameters.SIGNATURE);
        if (algorithm == null || credential == null || amzDate == null || expires == null ||
            signedHeaders == null || signature == null)
        {
            throw queryError("Query-string authentication version 4 requires the X-Amz-Algorithm, " +
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!AuthorizationHeader.ALGORITHM.equals(algorithm))
        {
            throw queryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        final CredentialScope scope =
            CredentialScope.parse(credential, S3Error.AuthorizationQueryParametersError, region);
        final long expiresSeconds = parseExpires(expires);
        final long requestSecond = AmzDate.parseAmz(amzDate);
        if (requestSecond == AmzDate.INVALID)
        {
            throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        if (!amzDate.startsWith(scope.date()))
        {
            throw queryError("Invalid credential date. Date is not the same as X-Amz-Date.");
        }
        requireHostSigned(signedHeaders, S3Error.AuthorizationQueryParametersError);
        final Credentials key = lookUp(scope.accessKeyId());

        final long nowSecond = clock.instant().getEpochSecond();
        if (nowSecond > requestSecond + expiresSeconds)
        {
            throw new S3Exception(S3Error.AccessDenied, "Request has expired", "");
        }
        if (requestSecond - nowSecond > maxClockSkewSeconds)
        {
            throw new S3Exception(S3Error.AccessDenied, "Request is not valid yet", "");
        }
        checkSignature(request, query, QueryParameters.SIGNATURE, signedHeaders, UNSIGNED_PAYLOAD, key, scope,
            amzDate, signature);
        return new AuthResult(key.accessKeyId(), PayloadMode.UNSIGNED, null, true, null);
    }

    private AuthResult anonymous(final HttpHeaders headers)
    {
        final String contentSha256 = headers.get(CONTENT_SHA256);
        if (contentSha256 == null)
        {
            return AuthResult.anonymous();
        }
        final PayloadMode mode = PayloadMode.fromContentSha256(contentSha256);
        if (mode == null)
        {
            throw new S3Exception(S3Error.InvalidContentSha256,
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-* or a SHA-256 hex: " + contentSha256, "");
        }
        return switch (mode)
        {
            case UNSIGNED -> AuthResult.anonymous();
            case SIGNED -> new AuthResult(null, mode, contentSha256.toLowerCase(Locale.ROOT), false, null);
            case STREAMING_UNSIGNED_TRAILER -> new AuthResult(null, mode, null, false, null);
            case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER -> throw new S3Exception(S3Error.AccessDenied,
                "A signed streaming payload needs a signed request: " + contentSha256, "");
        };
    }

    /** @return the signing key, for a chunk chain to continue with. */
    private byte[] checkSignature(
        final HttpRequest request,
        final QueryParameters query,
        final String excludedParameter,
        final String signedHeaders,
        final String payloadHash,
        final Credentials key,
        final CredentialScope scope,
        final String timestamp,
        final String signature)
    {
        final Scratch pooled = scratchPool.poll();
        final Scratch s = pooled != null ? pooled : new Scratch();
        try
        {
            return checkSignature(s, request, query, excludedParameter,
                new SignedParts(signedHeaders, payloadHash, key, scope, timestamp, signature));
        }
        finally
        {
            scratchPool.offer(s);
        }
    }

    /** What the client signed, as read from its Authorization header or presigned query. */
    private record SignedParts(String signedHeaders, String payloadHash, Credentials key, CredentialScope scope,
        String timestamp, String signature)
    {
    }

    private byte[] checkSignature(
        final Scratch s,
        final HttpRequest request,
        final QueryParameters query,
        final String excludedParameter,
        final SignedParts signed)
    {
        final String signedHeaders = signed.signedHeaders();
        final String payloadHash = signed.payloadHash();
        final CredentialScope scope = signed.scope();
        final String timestamp = signed.timestamp();
        final String signature = signed.signature();
        final byte[] signingKey = signingKeys.signingKey(signed.key(), scope.date(), s.crypto);
        final String uri = request.uri();
        final boolean validSignature =
            signature.length() == SIGNATURE_BYTES * 2 && Hex.decode(signature, 0, s.provided);

        final StringBuilder canonical = s.canonical;
        canonical.setLength(0);
        CanonicalRequest.append(canonical, request.method().name(), uri, false, query, excludedParameter,
            request.headers(), signedHeaders, payloadHash);
        if (validSignature && matches(s, signingKey, canonical, scope, timestamp))
        {
            return signingKey;
        }
        // A client may have signed its path exactly as sent rather than re-encoded (some escape
        // characters that SigV4 leaves plain, or the reverse): it names the same key, so accept it.
        if (validSignature && CanonicalRequest.pathDiffersWhenRaw(uri))
        {
            canonical.setLength(0);
            CanonicalRequest.append(canonical, request.method().name(), uri, true, query, excludedParameter,
                request.headers(), signedHeaders, payloadHash);
            if (matches(s, signingKey, canonical, scope, timestamp))
            {
                return signingKey;
            }
        }
        throw new S3Exception(S3Error.SignatureDoesNotMatch, S3Error.SignatureDoesNotMatch.defaultMessage(), "");
    }

    private static boolean matches(
        final Scratch s,
        final byte[] signingKey,
        final StringBuilder canonical,
        final CredentialScope scope,
        final String timestamp)
    {
        final StringBuilder stringToSign = s.stringToSign;
        stringToSign.setLength(0);
        stringToSign.append(AuthorizationHeader.ALGORITHM).append('\n')
            .append(timestamp).append('\n')
            .append(scope.scope()).append('\n');
        Hex.append(stringToSign, s.crypto.sha256Reused(canonical));
        return s.crypto.hmacEquals(signingKey, stringToSign, s.provided);
    }

    private Credentials lookUp(final String accessKeyId)
    {
        final Credentials key = credentials.get(accessKeyId);
        if (key == null)
        {
            throw new S3Exception(S3Error.InvalidAccessKeyId, S3Error.InvalidAccessKeyId.defaultMessage(), "");
        }
        return key;
    }

    private static void requireHostSigned(final String signedHeaders, final S3Error error)
    {
        int start = 0;
        while (start <= signedHeaders.length())
        {
            int end = signedHeaders.indexOf(';', start);
            if (end < 0)
            {
                end = signedHeaders.length();
            }
            if (end - start == 4 && signedHeaders.startsWith("host", start))
            {
                return;
            }
            start = end + 1;
        }
        throw new S3Exception(error, error.defaultMessage() + " The host header must be signed.", "");
    }

    private static long parseExpires(final String expires)
    {
        final long seconds;
        try
        {
            seconds = Long.parseLong(expires);
        }
        catch (final NumberFormatException ex)
        {
            throw queryError("X-Amz-Expires should be a number");
        }
        if (seconds < 0)
        {
            throw queryError("X-Amz-Expires must be non-negative");
        }
        if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS)
        {
            throw queryError("X-Amz-Expires must be less than a week (in seconds) that is; the maximum expires is " +
                MAX_PRESIGNED_EXPIRES_SECONDS + " seconds");
        }
        return seconds;
    }

    private static S3Exception queryError(final String message)
    {
        return new S3Exception(S3Error.AuthorizationQueryParametersError, message, "");
    }

    /** One thread's reusable hashing objects and buffers. */
    private static final class Scratch
    {
        final Sha256Hmac crypto = new Sha256Hmac();
        final StringBuilder canonical = new StringBuilder(1024);
        final StringBuilder stringToSign = new StringBuilder(256);
        final byte[] provided = new byte[SIGNATURE_BYTES];
    }
}
