package dev.conduit.objecttier.http;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.audit.AuditEntry;
import dev.conduit.objecttier.audit.AuditEvent;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.objecttier.bucket.BucketStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Puts every mutating request (PUT, POST, DELETE; failures included) into the {@link AuditLog}
 * just before its response starts, and holds the response until the entry is durable, so no
 * acknowledged change lacks its entry. A request answered from an event loop (rare: nothing
 * there may block) is logged without waiting.
 *
 * <p>A PutObject carries a {@link AuditLog.Note} into its own store commit ({@link #notePut}): its
 * entry is journaled with the object, one commit for both, and nothing is left to wait for when
 * the response starts. Every other mutation (and a PUT whose commit failed or was refused) is
 * appended here and waited for. Such a mutation interrupted by a crash after its own commit and
 * before its entry's may have no entry; its client got no answer, so it was never acknowledged.
 */
final class RequestAudit
{
    /** No audit log: nothing recorded. */
    static final RequestAudit OFF = new RequestAudit(null);

    private static final System.Logger LOG = System.getLogger("conduit.audit");
    private static final long WAIT_SECONDS = 30;
    private static final int SUCCESS = 200;

    private final AuditLog log;

    /**
     * @param log where entries go, or null for none.
     */
    RequestAudit(final AuditLog log)
    {
        this.log = log;
    }

    /**
     * @param exchange the request about to be answered (on its own thread, or an event loop).
     * @param status   the response status.
     * @param headers  the response headers (version id and ETag are taken from them).
     */
    void beforeResponse(final Exchange exchange, final int status, final HttpHeaders headers)
    {
        if (log == null || !isMutating(exchange))
        {
            return;
        }
        final AuditLog.Note note = exchange.auditNote();
        if (note != null && note.entry() != null && status == SUCCESS)
        {
            // Stored with the object by the PUT's own commit, saying exactly this.
            return;
        }
        final AuditEvent event = event(exchange, status, valueOrEmpty(headers.get(BucketStore.VERSION_ID_HEADER)),
            valueOrEmpty(headers.get(HttpHeaderNames.ETAG)));
        try
        {
            final Future<AuditEntry> stored = log.append(event);
            if (!exchange.onEventLoop())
            {
                stored.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.ERROR, "audit entry of request " + exchange.requestId() + " not confirmed: interrupted");
        }
        catch (final ExecutionException | TimeoutException e)
        {
            LOG.log(System.Logger.Level.ERROR, "audit entry of request " + exchange.requestId() + " not stored: "
                + (e instanceof ExecutionException ? e.getCause() : e));
        }
    }

    /**
     * A note for a PutObject's commit, kept in the exchange: the entry it makes says what the
     * successful response will say (200, the ETag, the version id), built from the record the commit
     * publishes. A response that ends up saying something else gets an entry of its own as well.
     *
     * @param exchange   the PutObject.
     * @param versioning the bucket's versioning (whether the response names a version id).
     * @return the note, or null when nothing is audited.
     */
    AuditLog.Note notePut(final Exchange exchange, final VersioningMode versioning)
    {
        if (log == null)
        {
            return null;
        }
        final AuditLog.Note note = log.note(record -> event(exchange, SUCCESS,
            valueOrEmpty(ObjectHeaders.versionIdValue(record, versioning)), ObjectHeaders.quote(record.etag())));
        exchange.auditNote(note);
        return note;
    }

    private static AuditEvent event(final Exchange exchange, final int status, final String versionId, final String etag)
    {
        final S3Request request = exchange.request();
        final S3Error error = exchange.error();
        final String accessKey = exchange.auth() == null || exchange.auth().isAnonymous() ? ""
            : exchange.auth().accessKeyId();
        return new AuditEvent(System.currentTimeMillis(), accessKey,
            request == null ? Operation.BadRequest.name() : request.operation().name(),
            request == null ? "" : request.bucket(), request == null ? "" : request.key(),
            versionId, etag, status, error == null ? "" : error.name(), exchange.requestId());
    }

    private static boolean isMutating(final Exchange exchange)
    {
        final HttpMethod method = exchange.head().method();
        return HttpMethod.PUT.equals(method) || HttpMethod.POST.equals(method) || HttpMethod.DELETE.equals(method);
    }

    private static String valueOrEmpty(final String value)
    {
        return value == null ? "" : value;
    }
}
