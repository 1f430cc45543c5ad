package dev.conduit.objecttier.tier;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Collects a ranged GET's body as the buffers the HTTP client delivered, kept as they are: the
 * SDK's own {@code toBytes()} copies each into a growing array (a copy per byte, plus the copies of
 * every doubling, and an 8 MiB humongous allocation per part), where the fill only appends them to
 * a put session, which copies them into its staging buffer anyway. The SDK hands each body buffer
 * over as a fresh heap copy of the network buffer, so keeping it is safe. One instance per request;
 * each attempt (a retry) starts a new list.
 */
final class BufferedPart implements AsyncResponseTransformer<GetObjectResponse, List<ByteBuffer>>
{
    private volatile CompletableFuture<List<ByteBuffer>> future;

    @Override
    public CompletableFuture<List<ByteBuffer>> prepare()
    {
        future = new CompletableFuture<>();
        return future;
    }

    @Override
    public void onResponse(final GetObjectResponse response)
    {
        // The fill already holds the object's description from its first GET.
    }

    @Override
    public void onStream(final SdkPublisher<ByteBuffer> publisher)
    {
        final CompletableFuture<List<ByteBuffer>> result = future;
        publisher.subscribe(new Subscriber<ByteBuffer>()
        {
            private final List<ByteBuffer> buffers = new ArrayList<>();

            @Override
            public void onSubscribe(final Subscription subscription)
            {
                // The part's size is bounded (tier.partSize): take it all as it comes.
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(final ByteBuffer buffer)
            {
                buffers.add(buffer);
            }

            @Override
            public void onError(final Throwable t)
            {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete()
            {
                result.complete(buffers);
            }
        });
    }

    @Override
    public void exceptionOccurred(final Throwable error)
    {
        final CompletableFuture<List<ByteBuffer>> result = future;
        if (result != null)
        {
            result.completeExceptionally(error);
        }
    }
}
