package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.conduit.blocklayout.MetadataPredicate;
import dev.conduit.core.ConduitException;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.ListQuery;
import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.UploadListing;
import dev.conduit.objecttier.bucket.VersionListResult;
import dev.conduit.objecttier.bucket.WhereClause;
import dev.conduit.objecttier.tier.ListPosition;
import dev.conduit.objecttier.tier.MergedPage;
import dev.conduit.objecttier.tier.Tiering;
import dev.conduit.objecttier.xml.ListParams;
import dev.conduit.objecttier.xml.S3Xml;

/**
 * The listings: ListObjects (v1), ListObjectsV2, ListObjectVersions (versions and delete markers)
 * and ListMultipartUploads, plus the metadata search extension of ListObjectsV2
 * ({@code x-conduit-where}). A v2 continuation token is the URL-safe base64 of the key the next page
 * starts after: opaque to clients, stateless here. A read-through bucket's ListObjects and ListObjectsV2
 * merge the cold tier's keys ({@link Tiering#list}); its v2 tokens carry both sides' positions
 * ({@link MergedListToken}). Its search and its version and upload listings stay local.
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
        final ListQuery query = new ListQuery(params.prefix(), params.delimiter(), marker, params.maxKeys());
        // A marker is one key: each page of a read-through bucket starts both sides after it.
        final Tiering merging = mergingTier(request.bucket());
        final ListResult result = merging != null
            ? merged(merging, request, query, ListPosition.start(marker)).result()
            : server.buckets().list(request.bucket(), query);
        BucketOperations.xml(exchange, S3Xml.listObjectsV1(params, marker, result, Owners.CONDUIT));
    }

    void listV2(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final ListParams params = params(request, "max-keys");
        final String startAfter = QueryParams.text(request, "start-after");
        final String token = QueryParams.text(request, "continuation-token");
        final List<String> where = Router.allValues(exchange.head().uri(), WHERE);
        final ListResult result;
        final String next;
        final Tiering merging = where.isEmpty() ? mergingTier(request.bucket()) : null;
        if (merging != null)
        {
            final MergedListToken.Scope scope = scope(merging, request.bucket(), params);
            final ListPosition from = token.isEmpty() ? ListPosition.start(startAfter) : MergedListToken.decode(token, scope);
            final MergedPage page = merged(merging, request, new ListQuery(params.prefix(), params.delimiter(), "", params.maxKeys()),
                from);
            result = page.result();
            next = page.next() == null ? "" : MergedListToken.encode(page.next(), scope);
        }
        else
        {
            final String from = token.isEmpty() ? startAfter : fromToken(token);
            result = where.isEmpty()
                ? server.buckets().list(request.bucket(), new ListQuery(params.prefix(), params.delimiter(), from,
                    params.maxKeys()))
                : search(request.bucket(), params, where, from);
            next = result.truncated() ? toToken(result.nextStartAfter()) : "";
        }
        final boolean fetchOwner = "true".equalsIgnoreCase(request.param("fetch-owner"));
        BucketOperations.xml(exchange, S3Xml.listObjectsV2(params, startAfter, token, next, result, fetchOwner
            ? Owners.CONDUIT : null));
    }

    /** @return the tiering layer when the bucket reads through a cold tier, so its listings merge the cold keys; else null. */
    private Tiering mergingTier(final String bucket)
    {
        final Tiering tiering = server.tiering();
        return tiering != null && tiering.mergesListing(bucket) ? tiering : null;
    }

    private static MergedPage merged(final Tiering tiering, final S3Request request, final ListQuery query, final ListPosition from)
    {
        try
        {
            return tiering.list(request.bucket(), query, from);
        }
        catch (final ConduitException e)
        {
            throw ColdReads.coldFailure(e, request.resource());
        }
    }

    private static MergedListToken.Scope scope(final Tiering tiering, final String bucket, final ListParams params)
    {
        final String cold = tiering.binding(bucket).map(b -> b.cold().toString()).orElse("");
        return new MergedListToken.Scope(bucket, params.prefix(), params.delimiter(), cold);
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
