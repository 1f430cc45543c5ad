package dev.conduit.objecttier.tier;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The one mapping from what the SDK throws (after its retries) to Conduit codes: a missing object
 * is {@link ErrorCode#NOT_FOUND}, a condition that failed {@link ErrorCode#PRECONDITION_FAILED},
 * an unreachable cold tier {@link ErrorCode#COLD_TIER_UNAVAILABLE}, a refusal (credentials, no such
 * bucket, denied) {@link ErrorCode#COLD_TIER_REFUSED}, anything else (5xx, throttling, timeouts,
 * resets) {@link ErrorCode#COLD_TIER_FAILED}, except a cold tier that answered too slowly on every attempt:
 * {@link ErrorCode#COLD_TIER_TIMED_OUT}. Messages name the endpoint, the operation and the
 * cold object, so an operator sees which cold tier failed and how.
 */
final class ColdErrors
{
    private ColdErrors()
    {
    }

    /**
     * @param failure what the SDK threw or completed a future with.
     * @param what    e.g. {@code "GET s3://cold/key at http://host:9000"}.
     * @return the failure as a ConduitException (itself when it is one already).
     */
    static ConduitException map(final Throwable failure, final String what)
    {
        final Throwable cause = unwrap(failure);
        if (cause instanceof ConduitException conduit)
        {
            return conduit;
        }
        if (cause instanceof AwsServiceException service)
        {
            final int status = service.statusCode();
            final String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            final String text = what + ": HTTP " + status + (code == null || code.isEmpty() ? "" : " " + code);
            if (status == 404)
            {
                return new ConduitException(ErrorCode.NOT_FOUND, text, cause);
            }
            if (status == 412 || status == 304)
            {
                return new ConduitException(ErrorCode.PRECONDITION_FAILED, text, cause);
            }
            if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code))
            {
                return new ConduitException(ErrorCode.COLD_TIER_FAILED, text + " (after retries)", cause);
            }
            return new ConduitException(ErrorCode.COLD_TIER_REFUSED, text, cause);
        }
        for (Throwable t = cause; t != null; t = t.getCause())
        {
            if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException || t instanceof TimeoutException
                || t instanceof ReadTimeoutException || t instanceof WriteTimeoutException || t instanceof SocketTimeoutException)
            {
                return new ConduitException(ErrorCode.COLD_TIER_TIMED_OUT, what + ": no answer within tier.requestTimeout on any "
                    + "attempt (the cold tier is up but too slow; " + t.getClass().getSimpleName() + ")", cause);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException)
            {
                return new ConduitException(ErrorCode.COLD_TIER_UNAVAILABLE, what + ": cannot connect (" + t.getMessage() + ")", cause);
            }
        }
        return new ConduitException(ErrorCode.COLD_TIER_FAILED, what + ": " + cause.getClass().getSimpleName() + ": "
            + cause.getMessage() + " (after retries)", cause);
    }

    /**
     * @param failure a failure.
     * @return whether it says the cold object does not exist.
     */
    static boolean isNotFound(final Throwable failure)
    {
        return unwrap(failure) instanceof AwsServiceException service && service.statusCode() == 404;
    }

    /**
     * @param failure a failure.
     * @param status  an HTTP status.
     * @return whether the cold tier answered that status.
     */
    static boolean hasStatus(final Throwable failure, final int status)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof AwsServiceException service && service.statusCode() == status)
            {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(final Throwable failure)
    {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null)
        {
            t = t.getCause();
        }
        return t;
    }
}
