package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.conduit.blocklayout.MetadataPredicate;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.ListQuery;
import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.UploadListing;
import dev.conduit.objecttier.bucket.VersionListResult;
import dev.conduit.objecttier.bucket.WhereClause;
import dev.conduit.objecttier.xml.ListParams;
import dev.conduit.objecttier.xml.S3Xml;

/**
 * The listings: ListObjects (v1), ListObjectsV2, ListObjectVersions (versions and delete markers)
 * and ListMultipartUploads, plus the metadata search extension of ListObjectsV2
 * ({@code x-conduit-where}). A v2 continuation token is the URL-safe base64 of the key the next page
 * starts after: opaque to clients, stateless here.
 */
final class ListOperations
{
    private static final int MAX_KEYS = 1000;
    /** The query parameter of the metadata search extension (repeatable). */
    static final String WHERE = "x-conduit-where";

    private final ServerContext server;

    ListOperations(final ServerContext server)
    {
        this.server = server;
    }

    void listV1(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final ListParams params = params(request, "max-keys");
        final String marker = QueryParams.text(request, "marker");
        final ListResult result = server.buckets().list(request.bucket(), new ListQuery(params.prefix(),
            params.delimiter(), marker, params.maxKeys()));
        BucketOperations.xml(exchange, S3Xml.listObjectsV1(params, marker, result, Owners.CONDUIT));
    }

    void listV2(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final ListParams params = params(request, "max-keys");
        final String startAfter = QueryParams.text(request, "start-after");
        final String token = QueryParams.text(request, "continuation-token");
        final String from = token.isEmpty() ? startAfter : fromToken(token);
        final List<String> where = Router.allValues(exchange.head().uri(), WHERE);
        final ListResult result = where.isEmpty()
            ? server.buckets().list(request.bucket(), new ListQuery(params.prefix(), params.delimiter(), from,
                params.maxKeys()))
            : search(request.bucket(), params, where, from);
        final String next = result.truncated() ? toToken(result.nextStartAfter()) : "";
        final boolean fetchOwner = "true".equalsIgnoreCase(request.param("fetch-owner"));
        BucketOperations.xml(exchange, S3Xml.listObjectsV2(params, startAfter, token, next, result, fetchOwner
            ? Owners.CONDUIT : null));
    }

    /**
     * Conduit's search extension of ListObjectsV2: each {@code x-conduit-where} parameter is one
     * condition ({@link WhereClause}), all must hold; prefix, start-after, continuation token and
     * max-keys work as in a listing. {@code max-keys=0} answers an empty page, as a listing does.
     */
    private ListResult search(final String bucket, final ListParams params, final List<String> where,
        final String from)
    {
        if (!params.delimiter().isEmpty())
        {
            throw new S3Exception(S3Error.InvalidArgument, "x-conduit-where does not combine with delimiter",
                WHERE);
        }
        final List<MetadataPredicate> conditions = new ArrayList<>(where.size());
        for (final String clause : where)
        {
            conditions.add(WhereClause.parse(clause));
        }
        if (params.maxKeys() == 0)
        {
            server.buckets().requireBucket(bucket);
            return new ListResult(List.of(), List.of(), false, "");
        }
        return server.buckets().find(bucket, conditions, params.prefix(), from, params.maxKeys());
    }

    void listVersions(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final ListParams params = params(request, "max-keys");
        final String keyMarker = QueryParams.text(request, "key-marker");
        final String versionIdMarker = QueryParams.text(request, "version-id-marker");
        final VersionListResult result = server.buckets().listVersions(request.bucket(), params.prefix(),
            params.delimiter(), keyMarker, versionIdMarker, params.maxKeys());
        BucketOperations.xml(exchange, S3Xml.listObjectVersions(params, keyMarker, versionIdMarker, result,
            Owners.CONDUIT));
    }

    void listUploads(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final ListParams params = params(request, "max-uploads");
        final String keyMarker = QueryParams.text(request, "key-marker");
        final String uploadIdMarker = QueryParams.text(request, "upload-id-marker");
        final UploadListing listing = server.buckets().listUploads(request.bucket(), params.prefix(),
            params.delimiter(), keyMarker,
            uploadIdMarker, Math.max(1, params.maxKeys()));
        BucketOperations.xml(exchange, S3Xml.listMultipartUploads(params, keyMarker, uploadIdMarker, listing,
            Owners.CONDUIT));
    }

    private static ListParams params(final S3Request request, final String pageSizeName)
    {
        final String encoding = request.param("encoding-type");
        if (encoding != null && !"url".equals(encoding))
        {
            throw new S3Exception(S3Error.InvalidArgument, "Invalid Encoding Method specified in Request",
                "encoding-type");
        }
        final int maxKeys = QueryParams.intParam(request, pageSizeName, MAX_KEYS, 0, MAX_KEYS);
        return new ListParams(request.bucket(), QueryParams.text(request, "prefix"), QueryParams.text(request,
            "delimiter"), maxKeys,
            encoding != null);
    }

    static String toToken(final String startAfter)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(startAfter.getBytes(StandardCharsets.UTF_8));
    }

    static String fromToken(final String token)
    {
        try
        {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException e)
        {
            throw new S3Exception(S3Error.InvalidArgument, "The continuation token provided is incorrect",
                "continuation-token");
        }
    }
}
