package dev.conduit.objecttier.http;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.auth.SigV4Verifier;
import dev.conduit.objecttier.bucket.BucketInfo;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Each request's work, on its own thread (a small GET on its event loop, see {@link #tryInline}):
 * route, authenticate (SigV4 for everything but the server's own endpoints; anonymous only for
 * GET/HEAD of objects in a public-read bucket), refuse bad keys, answer {@code Expect: 100-continue},
 * and hand the request to the operation's class.
 */
public final class S3Service implements RequestHandler
{
    private final ServerContext server;
    private final Router router;
    private final SigV4Verifier verifier;
    private final ErrorResponses errors;
    private final BucketOperations bucketOperations;
    private final ListOperations listOperations;
    private final ObjectReads objectReads;
    private final ObjectWrites objectWrites;
    private final MultipartOperations multipart;
    private final AdminEndpoints admin;
    private final TierAdminEndpoint tierAdmin;

    /**
     * @param server   what the server's connections share.
     * @param router   maps requests to operations.
     * @param verifier checks signatures.
     * @param region   the region reported for buckets.
     */
    public S3Service(final ServerContext server, final Router router, final SigV4Verifier verifier, final String region)
    {
        this.server = server;
        this.router = router;
        this.verifier = verifier;
        this.errors = new ErrorResponses(server);
        this.bucketOperations = new BucketOperations(server, region);
        this.listOperations = new ListOperations(server);
        this.objectReads = new ObjectReads(server, errors);
        this.objectWrites = new ObjectWrites(server);
        this.multipart = new MultipartOperations(server);
        this.admin = new AdminEndpoints(server);
        this.tierAdmin = new TierAdminEndpoint(server);
    }

    @Override
    public void handle(final Exchange exchange) throws Exception
    {
        final DecoderResult decoded = exchange.head().decoderResult();
        if (decoded.isFailure())
        {
            exchange.closeAfterResponse();
            throw decoded.cause() instanceof TooLongFrameException
                ? S3Exception.of(S3Error.RequestHeaderSectionTooLarge, "")
                : new S3Exception(S3Error.InvalidRequest, "The request could not be parsed as HTTP/1.1", "");
        }
        final S3Request request = router.route(exchange.head(), exchange.connection().routeMemo());
        exchange.request(request);
        if (request.operation() == Operation.Metrics || request.operation() == Operation.Health)
        {
            admin.serve(exchange);
            return;
        }
        final AuthResult auth = verifier.verify(exchange.head());
        exchange.auth(auth);
        if (request.operation().isObjectLevel())
        {
            ObjectKeys.validate(request.key());
        }
        authorize(request, auth);
        dispatch(exchange, request);
    }

    @Override
    public boolean tryInline(final Exchange exchange)
    {
        final HttpRequest head = exchange.head();
        if (!HttpMethod.GET.equals(head.method()) || HttpUtil.getContentLength(head, 0L) != 0
            || HttpUtil.isTransferEncodingChunked(head) || exchange.expectsContinue())
        {
            return false;
        }
        try
        {
            final S3Request request = router.route(head, exchange.connection().routeMemo());
            if (request.operation() != Operation.GetObject)
            {
                return false;
            }
            final AuthResult auth = verifier.verify(head);
            ObjectKeys.validate(request.key());
            authorize(request, auth);
            exchange.request(request);
            exchange.auth(auth);
            return objectReads.tryInline(exchange);
        }
        catch (final RuntimeException e)
        {
            // Not lost: the request's thread does the same steps again and answers this failure as an S3 error.
            return false;
        }
    }

    private void authorize(final S3Request request, final AuthResult auth)
    {
        if (!auth.isAnonymous())
        {
            return;
        }
        final boolean read = request.operation() == Operation.GetObject || request.operation() == Operation.HeadObject;
        if (!read || !server.buckets().bucket(request.bucket()).filter(BucketInfo::publicRead).isPresent())
        {
            throw S3Exception.of(S3Error.AccessDenied, request.resource());
        }
    }

    private void dispatch(final Exchange exchange, final S3Request request) throws InterruptedException
    {
        switch (request.operation())
        {
            case ListBuckets -> bucketOperations.listBuckets(exchange);
            case CreateBucket -> bucketOperations.create(exchange);
            case HeadBucket -> bucketOperations.head(exchange);
            case DeleteBucket -> bucketOperations.delete(exchange);
            case GetBucketLocation -> bucketOperations.location(exchange);
            case GetBucketAcl -> bucketOperations.getAcl(exchange);
            case PutBucketAcl -> bucketOperations.putAcl(exchange);
            case GetBucketVersioning -> bucketOperations.getVersioning(exchange);
            case PutBucketVersioning -> bucketOperations.putVersioning(exchange);
            case GetBucketLifecycleConfiguration -> bucketOperations.getLifecycle(exchange);
            case PutBucketLifecycleConfiguration -> bucketOperations.putLifecycle(exchange);
            case DeleteBucketLifecycle -> bucketOperations.deleteLifecycle(exchange);
            case ListObjects -> listOperations.listV1(exchange);
            case ListObjectsV2 -> listOperations.listV2(exchange);
            case ListObjectVersions -> listOperations.listVersions(exchange);
            case ListMultipartUploads -> listOperations.listUploads(exchange);
            case GetObject, HeadObject -> objectReads.getOrHead(exchange);
            case PutObject -> objectWrites.put(exchange);
            case CopyObject -> objectWrites.copy(exchange);
            case DeleteObject -> objectWrites.delete(exchange);
            case DeleteObjects -> objectWrites.deleteMany(exchange);
            case GetObjectTagging -> objectWrites.getTagging(exchange);
            case PutObjectTagging -> objectWrites.putTagging(exchange);
            case DeleteObjectTagging -> objectWrites.deleteTagging(exchange);
            case CreateMultipartUpload -> multipart.create(exchange);
            case UploadPart -> multipart.uploadPart(exchange);
            case UploadPartCopy -> multipart.copyPart(exchange);
            case CompleteMultipartUpload -> multipart.complete(exchange);
            case AbortMultipartUpload -> multipart.abort(exchange);
            case ListParts -> multipart.listParts(exchange);
            case TierAdmin -> tierAdmin.serve(exchange);
            default -> unsupported(request);
        }
    }

    private static void unsupported(final S3Request request)
    {
        final HttpMethod method = request.method();
        final boolean known = HttpMethod.GET.equals(method) || HttpMethod.PUT.equals(method)
            || HttpMethod.HEAD.equals(method)
            || HttpMethod.DELETE.equals(method) || HttpMethod.POST.equals(method);
        if (!known)
        {
            throw S3Exception.of(S3Error.MethodNotAllowed, request.resource());
        }
        throw new S3Exception(S3Error.NotImplemented, "This operation or sub-resource is not implemented by Conduit",
            request.resource());
    }

    @Override
    public void fail(final Exchange exchange, final Throwable failure)
    {
        errors.fail(exchange, failure);
    }
}
